# Reference values for replicate weight designs (issue 12), on R's api data.
# Run from this folder with R 4.2 and survey 4.1.1: Rscript make_replicates_reference.R
# Writes replicates_<design>.csv (the data with the replicate analysis weights rep_1, rep_2…, as
# R built them with as.svrepdesign, 17 significant digits), replicates_rscales.csv (scale and
# rscales of each design) and replicates_expected.csv (design, estimator, variable, by, group,
# key, quantity, value). Every estimate is computed on svrepdesign(…, combined.weights = TRUE)
# built from the CSV read back, exactly as `--replicates rep_` reads it.
suppressMessages(library(survey))
data(api)
set.seed(20240612)
options(survey.replicates.mse = FALSE)

keep <- c("snum", "dnum", "stype", "sch.wide", "awards", "api00", "api.stu", "enroll", "pw")
clus1 <- svydesign(id = ~dnum, weights = ~pw, data = apiclus1)
strat <- svydesign(id = ~1, strata = ~stype, weights = ~pw, data = apistrat)
# Two PSUs per stratum for BRR and Fay: within each school type, schools in snum order are
# grouped five by five into PSUs, and PSUs two by two into strata (20 strata, 40 PSUs).
paired <- apistrat[order(apistrat$stype, apistrat$snum), ]
rank <- ave(seq_len(nrow(paired)), paired$stype, FUN = seq_along)
paired$psu <- paste(paired$stype, (rank - 1) %/% 5, sep = "")
paired$pair <- paste(paired$stype, (rank - 1) %/% 10, sep = "")
pairs <- svydesign(id = ~psu, strata = ~pair, weights = ~pw, data = paired)

built <- list(
  clus1_jk1 = list(as.svrepdesign(clus1, type = "JK1"), apiclus1, "JK1", NULL),
  strat_jkn = list(as.svrepdesign(strat, type = "JKn"), apistrat, "JKn", NULL),
  pairs_brr = list(as.svrepdesign(pairs, type = "BRR"), paired, "BRR", NULL),
  pairs_fay = list(as.svrepdesign(pairs, type = "Fay", fay.rho = 0.5), paired, "Fay", 0.5),
  clus1_boot = list(as.svrepdesign(clus1, type = "bootstrap", replicates = 50), apiclus1,
                    "bootstrap", NULL)
)

rows <- list()
add <- function(design, estimator, variable, by, group, key, quantity, value) {
  rows[[length(rows) + 1]] <<- data.frame(
    design = design, estimator = estimator, variable = variable, by = by, group = group,
    key = key, quantity = quantity, value = format(value, digits = 17), stringsAsFactors = FALSE)
}
scales <- list()
pop_types <- table(stype = apipop$stype)
pop_wide <- table(sch.wide = apipop$sch.wide)

for (name in names(built)) {
  rep <- built[[name]][[1]]
  data <- built[[name]][[2]]
  weights <- weights(rep, "analysis")
  out <- data[, c(keep, if ("psu" %in% names(data)) c("psu", "pair"))]
  for (r in seq_len(ncol(weights))) out[[paste0("rep_", r)]] <- weights[, r]
  file <- paste0("replicates_", name, ".csv")
  for (col in names(out)) if (is.numeric(out[[col]])) out[[col]] <- sprintf("%.17g", out[[col]])
  write.csv(out, file, row.names = FALSE, quote = FALSE)
  back <- read.csv(file, stringsAsFactors = FALSE)
  rscales <- if (name == "strat_jkn") rep$rscales else NULL
  scales[[name]] <- data.frame(design = name, type = built[[name]][[3]], scale = rep$scale,
                               rscales = paste(format(rep$rscales, digits = 17), collapse = ";"))
  d <- svrepdesign(data = back, repweights = "rep_", weights = ~pw, type = built[[name]][[3]],
                   combined.weights = TRUE, rho = built[[name]][[4]], rscales = rscales,
                   scale = if (name == "strat_jkn") rep$scale else NULL)
  d <- update(d, yes = as.numeric(awards == "Yes"))
  designs <- list(d)
  names(designs) <- name
  if (name == "clus1_jk1") {
    raked <- rake(d, list(~stype, ~sch.wide), list(pop_types, pop_wide),
                  control = list(maxit = 200, epsilon = 1e-12))
    designs[["clus1_jk1_raked"]] <- raked
  }
  for (dn in names(designs)) {
    x <- designs[[dn]]
    add(dn, "degf", "", "", "", "", "value", degf(x))
    m <- svymean(~api00, x); add(dn, "mean", "api00", "", "", "", "estimate", coef(m))
    add(dn, "mean", "api00", "", "", "", "se", SE(m))
    t <- svytotal(~enroll, x); add(dn, "total", "enroll", "", "", "", "estimate", coef(t))
    add(dn, "total", "enroll", "", "", "", "se", SE(t))
    for (method in c("logit", "beta")) {
      p <- svyciprop(~yes, x, method = method)
      add(dn, "share", "yes", "", "", method, "estimate", coef(p))
      add(dn, "share", "yes", "", "", method, "se", SE(p))
      add(dn, "share", "yes", "", "", method, "ci_low", confint(p)[1])
      add(dn, "share", "yes", "", "", method, "ci_high", confint(p)[2])
    }
    bm <- svyby(~api00, ~stype, x, svymean)
    bt <- svyby(~enroll, ~stype, x, svytotal)
    bp <- svyby(~yes, ~stype, x, svyciprop, method = "logit", vartype = c("se", "ci"))
    for (i in seq_len(nrow(bm))) {
      g <- as.character(bm$stype[i])
      add(dn, "mean", "api00", "stype", g, "", "estimate", bm$api00[i])
      add(dn, "mean", "api00", "stype", g, "", "se", bm$se[i])
      add(dn, "total", "enroll", "stype", g, "", "estimate", bt$enroll[i])
      add(dn, "total", "enroll", "stype", g, "", "se", bt$se[i])
      add(dn, "share", "yes", "stype", g, "logit", "estimate", bp$yes[i])
      add(dn, "share", "yes", "stype", g, "logit", "se", bp[i, "se.as.numeric(yes)"])
      add(dn, "share", "yes", "stype", g, "logit", "ci_low", bp$ci_l[i])
      add(dn, "share", "yes", "stype", g, "logit", "ci_high", bp$ci_u[i])
      add(dn, "degf", "", "stype", g, "", "value", degf(subset(x, stype == g)))
    }
    rt <- svyratio(~api.stu, ~enroll, x)
    add(dn, "ratio", "api.stu/enroll", "", "", "", "estimate", coef(rt))
    add(dn, "ratio", "api.stu/enroll", "", "", "", "se", SE(rt))
    ct <- svytotal(~awards, x)
    for (k in seq_along(coef(ct))) {
      level <- sub("awards", "", names(coef(ct))[k])
      add(dn, "count", "awards", "", "", level, "estimate", coef(ct)[k])
      add(dn, "count", "awards", "", "", level, "se", SE(ct)[k])
    }
    q <- svyquantile(~api00, x, c(0.25, 0.5, 0.75), ci = TRUE)
    for (k in 1:3) {
      add(dn, "quantile", "api00", "", "", c(0.25, 0.5, 0.75)[k], "estimate", q$api00[k, 1])
      add(dn, "quantile", "api00", "", "", c(0.25, 0.5, 0.75)[k], "ci_low", q$api00[k, 2])
      add(dn, "quantile", "api00", "", "", c(0.25, 0.5, 0.75)[k], "ci_high", q$api00[k, 3])
      add(dn, "quantile", "api00", "", "", c(0.25, 0.5, 0.75)[k], "se", q$api00[k, 4])
    }
    chi <- svychisq(~sch.wide + stype, x, statistic = "F")
    add(dn, "raoscott", "sch.wide", "stype", "", "", "statistic", chi$statistic)
    add(dn, "raoscott", "sch.wide", "stype", "", "", "ndf", chi$parameter[1])
    add(dn, "raoscott", "sch.wide", "stype", "", "", "ddf", chi$parameter[2])
    add(dn, "raoscott", "sch.wide", "stype", "", "", "p", chi$p.value)
    two <- subset(x, stype %in% c("E", "H"))
    for (v in c("api00", "yes")) {
      tt <- svyttest(as.formula(paste(v, "~ I(stype == \"H\")")), two)
      add(dn, "difference", v, "stype", "E;H", "", "estimate", tt$estimate)
      add(dn, "difference", v, "stype", "E;H", "", "se", tt$estimate / tt$statistic)
      add(dn, "difference", v, "stype", "E;H", "", "df", tt$parameter)
      add(dn, "difference", v, "stype", "E;H", "", "p", tt$p.value)
    }
  }
  if (name == "clus1_jk1") {
    write.csv(data.frame(row = seq_len(nrow(back)), weight = format(weights(raked, "sampling"),
      digits = 17)), "replicates_raked_weights.csv", row.names = FALSE)
  }
}
write.csv(do.call(rbind, scales), "replicates_rscales.csv", row.names = FALSE)
write.csv(do.call(rbind, rows), "replicates_expected.csv", row.names = FALSE)
