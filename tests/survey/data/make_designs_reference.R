# Reference values for the design features of issue 12, from R's survey package on its api data.
# Usage (from this folder): Rscript make_designs_reference.R
# Writes designs_apistrat.csv, designs_apiclus1.csv, designs_apiclus2.csv (the data, with the
# columns the tests need), designs_clus2_margins.json (raking targets) and designs_expected.csv
# (case, design, group, statistic, value). See README.md.
suppressMessages(library(survey))
data(api)
options(survey.lonely.psu = "fail")

out <- data.frame(case = character(), design = character(), group = character(),
                  statistic = character(), value = numeric(), stringsAsFactors = FALSE)
add <- function(case, design, group, statistic, value)
  out[nrow(out) + 1, ] <<- list(case, design, group, statistic, as.numeric(value))
add_stat <- function(case, design, group, s) {
  add(case, design, group, "estimate", coef(s)[1]); add(case, design, group, "se", SE(s)[1])
  if (!is.null(attr(s, "deff"))) add(case, design, group, "deff", diag(as.matrix(attr(s, "deff")))[1])
}
add_ci <- function(case, design, formula, D, method) {
  p <- svyciprop(formula, D, method = method)
  add(case, design, method, "estimate", coef(p)); add(case, design, method, "se", SE(p))
  add(case, design, method, "ci_low", attr(p, "ci")[1]); add(case, design, method, "ci_high", attr(p, "ci")[2])
}
add_by <- function(case, design, b, name) {
  for (i in seq_len(nrow(b))) {
    add(case, design, as.character(b[i, 1]), "estimate", b[[name]][i])
    add(case, design, as.character(b[i, 1]), "se", b$se[i])
    if (!is.null(b[[paste0("DEff.", name)]])) add(case, design, as.character(b[i, 1]), "deff", b[[paste0("DEff.", name)]][i])
  }
}
add_test <- function(case, design, t) {
  add(case, design, "", "estimate", t$estimate); add(case, design, "", "se", t$estimate / t$statistic)
  add(case, design, "", "df", t$parameter); add(case, design, "", "p_value", t$p.value)
}
add_chisq <- function(case, design, x) {
  add(case, design, "", "F", x$statistic); add(case, design, "", "ndf", x$parameter[["ndf"]])
  add(case, design, "", "ddf", x$parameter[["ddf"]]); add(case, design, "", "p_value", x$p.value)
}
quiet <- function(expr) suppressWarnings(expr)  # glm's "zero weight" note, lonely-PSU notes

# 1. Zero weights: apistrat with 8 schools weighted 0 (R keeps them in the data, degf drops them).
strat <- apistrat
strat$pw0 <- strat$pw
strat$pw0[c(3, 25, 47, 80, 111, 150, 170, 199)] <- 0
strat$wide <- as.numeric(strat$sch.wide == "Yes")
Z <- svydesign(ids = ~1, strata = ~stype, weights = ~pw0, data = strat)
add("zero_weights", "degf", "", "df", degf(Z))
add_stat("zero_weights", "mean_api00", "", svymean(~api00, Z, deff = "replace"))
add_stat("zero_weights", "total_enroll", "", svytotal(~enroll, Z, deff = "replace"))
add_stat("zero_weights", "share_wide", "", svymean(~wide, Z, deff = "replace"))
for (m in c("logit", "beta")) quiet(add_ci("zero_weights", "share_wide", ~wide, Z, m))
add_by("zero_weights", "mean_api00_by_awards", svyby(~api00, ~awards, Z, svymean, deff = "replace"), "api00")
for (a in c("No", "Yes")) add("zero_weights", "df_by_awards", a, "df", degf(subset(Z, awards == a)))
add_test("zero_weights", "ttest_api00_awards", quiet(svyttest(api00 ~ awards, Z)))
add_chisq("zero_weights", "chisq_wide_awards", svychisq(~sch.wide + awards, Z, statistic = "F"))

# 2. Two stages: districts, then schools within them, each with its fpc; R derives the weights.
D2 <- svydesign(ids = ~dnum + snum, fpc = ~fpc1 + fpc2, data = apiclus2)
apiclus2$wide <- as.numeric(apiclus2$sch.wide == "Yes")
D2 <- update(D2, wide = as.numeric(sch.wide == "Yes"))
add("two_stage", "degf", "", "df", degf(D2))
add("two_stage", "weights", "", "max_abs_difference_to_pw", max(abs(weights(D2) - apiclus2$pw)))
add_stat("two_stage", "mean_api00", "", svymean(~api00, D2, deff = "replace"))
add_stat("two_stage", "total_enroll", "", svytotal(~enroll, D2, na.rm = TRUE))
for (m in c("logit", "beta")) add_ci("two_stage", "share_wide", ~wide, D2, m)
add_by("two_stage", "mean_api00_by_stype", svyby(~api00, ~stype, D2, svymean), "api00")
add_by("two_stage", "total_enroll_by_stype", svyby(~enroll, ~stype, D2, svytotal, na.rm = TRUE), "enroll")
add_test("two_stage", "ttest_api00_wide", svyttest(api00 ~ sch.wide, D2))
add_chisq("two_stage", "chisq_wide_stype", quiet(svychisq(~sch.wide + stype, D2, statistic = "F")))
# The first stage alone (ids = ~dnum with its fpc): what a one-stage description of the same
# sample gives. With ids = ~dnum + snum and only fpc1, svydesign stops ("non-conformable arrays").
D1 <- svydesign(ids = ~dnum, fpc = ~fpc1, weights = ~pw, data = apiclus2)
add_stat("first_stage_only", "mean_api00", "", svymean(~api00, D1))
add_stat("first_stage_only", "total_enroll", "", svytotal(~enroll, D1, na.rm = TRUE))
refused <- inherits(try(svydesign(ids = ~dnum + snum, fpc = ~fpc1, data = apiclus2), silent = TRUE), "try-error")
add("first_stage_only", "two_stage_ids_one_fpc", "", "refused", refused)

# 3. Raking the two-stage design on school type and sch.wide (population counts from apipop).
pop_stype <- data.frame(stype = c("E", "H", "M"), Freq = as.vector(table(apipop$stype)))
pop_wide <- data.frame(sch.wide = c("No", "Yes"), Freq = as.vector(table(apipop$sch.wide)))
R2 <- rake(D2, list(~stype, ~sch.wide), list(pop_stype, pop_wide), control = list(maxit = 200, epsilon = 1e-12))
apiclus2$raked_weight <- weights(R2)
add_stat("raked_two_stage", "mean_api00", "", svymean(~api00, R2))
add_stat("raked_two_stage", "total_enroll", "", svytotal(~enroll, R2, na.rm = TRUE))
add_by("raked_two_stage", "mean_api00_by_stype", svyby(~api00, ~stype, R2, svymean), "api00")
add_ci("raked_two_stage", "share_elementary", ~I(stype == "E"), R2, "logit")  # fixed by raking
p <- svyciprop(~I(stype == "E"), R2, method = "beta")
add("raked_two_stage", "share_elementary_beta", "", "ci_low_is_nan", is.nan(attr(p, "ci")[1]))
cat(sprintf('{"stype": {"E": %d, "H": %d, "M": %d}, "sch.wide": {"No": %d, "Yes": %d}, "population_total": %d}\n',
            pop_stype$Freq[1], pop_stype$Freq[2], pop_stype$Freq[3], pop_wide$Freq[1], pop_wide$Freq[2],
            nrow(apipop)), file = "designs_clus2_margins.json")

# 4. Rao-Scott degrees of freedom when two clusters have no answer to comp.imp.
clus1 <- apiclus1
clus1$comp.imp[clus1$dnum %in% sort(unique(clus1$dnum))[1:2]] <- NA
C1 <- svydesign(ids = ~dnum, weights = ~pw, fpc = ~fpc, data = clus1)
add_chisq("raoscott_full", "chisq_wide_compimp", svychisq(~sch.wide + comp.imp, C1, statistic = "F"))
add_chisq("raoscott_subset", "chisq_wide_compimp",
          svychisq(~sch.wide + comp.imp, subset(C1, !is.na(comp.imp)), statistic = "F"))

# 5. Lonely PSU: apistrat keeping a single high school (stratum H), for each rule.
first_h <- strat$snum[strat$stype == "H"][1]
strat$lonely_subset <- strat$stype != "H" | strat$snum == first_h
L <- strat[strat$lonely_subset, ]
for (rule in c("adjust", "remove", "certainty", "average")) {
  options(survey.lonely.psu = rule)
  LD <- svydesign(ids = ~1, strata = ~stype, weights = ~pw, data = L)
  quiet(add_stat(paste0("lonely_", rule), "mean_api00", "", svymean(~api00, LD)))
  quiet(add_by(paste0("lonely_", rule), "mean_api00_by_awards", svyby(~api00, ~awards, LD, svymean), "api00"))
  by_total <- quiet(svyby(~enroll, ~awards, LD, svytotal))
  if (rule != "adjust") {
    quiet(add_stat(paste0("lonely_", rule), "total_enroll", "", svytotal(~enroll, LD)))
    add_by(paste0("lonely_", rule), "total_enroll_by_awards", by_total, "enroll")
  } else {
    # R 4.1 centres the lonely PSU's total on zero; R >= 4.3 (survey's C++ arma_onestage) on the
    # domain's total over the PSUs of the strata the domain reaches. Totals differ, so both are
    # written: R 4.1's as computed, R >= 4.3's rebuilt from R 4.1's by swapping the lonely PSU's
    # term z^2 for (z - total / PSUs)^2 (no fpc: its factor is 1).
    lonely_total <- function(rows) sum(L$enroll[rows & L$stype == "H"] * L$pw[rows & L$stype == "H"])
    rebuilt <- function(se41, rows) {
      z <- lonely_total(rows); total <- sum(L$enroll[rows] * L$pw[rows])
      psus <- sum(table(L$stype)[unique(L$stype[rows])])
      if (!any(rows & L$stype == "H")) return(se41)  # the domain misses the lonely stratum
      sqrt(se41^2 - z^2 + (z - total / psus)^2)
    }
    t41 <- quiet(svytotal(~enroll, LD))
    add("lonely_adjust", "total_enroll_r41", "", "se", SE(t41))
    add("lonely_adjust", "total_enroll", "", "estimate", coef(t41))
    add("lonely_adjust", "total_enroll", "", "se", rebuilt(SE(t41), rep(TRUE, nrow(L))))
    for (i in seq_len(nrow(by_total))) {
      a <- as.character(by_total$awards[i])
      add("lonely_adjust", "total_enroll_by_awards_r41", a, "se", by_total$se[i])
      add("lonely_adjust", "total_enroll_by_awards", a, "estimate", by_total$enroll[i])
      add("lonely_adjust", "total_enroll_by_awards", a, "se", rebuilt(by_total$se[i], L$awards == a))
    }
  }
}
options(survey.lonely.psu = "fail")

keep <- function(d, columns) d[, columns]
write.csv(keep(strat, c("snum", "stype", "pw", "pw0", "fpc", "api00", "enroll", "sch.wide", "awards", "lonely_subset")),
          "designs_apistrat.csv", row.names = FALSE)
write.csv(keep(clus1, c("dnum", "snum", "stype", "pw", "fpc", "sch.wide", "comp.imp")),
          "designs_apiclus1.csv", row.names = FALSE, na = "")
write.csv(keep(apiclus2, c("dnum", "snum", "stype", "pw", "fpc1", "fpc2", "api00", "enroll", "sch.wide", "raked_weight")),
          "designs_apiclus2.csv", row.names = FALSE, na = "")
write.csv(out, "designs_expected.csv", row.names = FALSE)
cat("rows:", nrow(out), "\n")
