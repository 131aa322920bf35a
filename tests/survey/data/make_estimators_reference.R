# Reference values for the estimators of issue 12 (quantiles, ratios, counts, several domains,
# calibration beyond raking, regression, design effects and degrees of freedom), from R's survey
# package on its own `api` data. Usage (from this folder): Rscript make_estimators_reference.R
#
# Writes
#   - api_strat.csv, api_clus1.csv: the columns of apistrat and apiclus1 the tests use, plus `wide`
#     (1 when sch.wide is "Yes") and `pw0` (pw, with eight schools weighted 0); the designs below
#     are built from these files as read back, so R and the tests start from the same numbers;
#   - api_rake.json (stype and sch.wide margins of apipop) and api_calibration.json (stype margins
#     of apipop, the total of enroll in apipop and the population size), in the --rake format;
#   - calibrated_weights.csv: the weights of every raked or calibrated design, by design and row,
#     to the last bit (17 significant digits);
#   - estimators_expected.csv: one value per line (design, estimator, variable, by, group, key,
#     quantity, value). `group` is the domain's value, or `a=x;b=y` for two columns; `key` is the
#     probability (quantiles), the category (counts) or the term (regressions).
#
# Designs: strat (apistrat: strata stype, fpc, weights pw), strat_zero (the same with weights
# pw0: R's degf, design effects and quantiles leave zero weights out), clus1 (apiclus1: one-stage cluster
# sample of districts, fpc, weights pw), clus1_raked (clus1 raked to stype and sch.wide with
# rake()), and clus1 calibrated to stype and enroll with calibrate(): clus1_linear (cal.linear),
# clus1_raking (cal.raking), clus1_logit (cal.logit, bounds 0.7-1.7), clus1_linear_bounded
# (cal.linear, bounds 0.8-1.6), clus1_raking_bounded (cal.raking, bounds 0.7-1.7).
suppressMessages(library(survey))
data(api)

columns <- c("snum", "dnum", "stype", "cname", "api00", "api99", "ell", "meals", "enroll",
             "api.stu", "acs.k3", "avg.ed", "sch.wide", "awards", "fpc", "pw")
export <- function(d, path) {
  d <- d[, columns]
  for (v in c("stype", "sch.wide", "awards")) d[[v]] <- as.character(d[[v]])
  d$wide <- as.integer(d$sch.wide == "Yes")
  d$pw0 <- d$pw
  d$pw0[seq(7, nrow(d), length.out=8)] <- 0  # eight schools weighted 0 (strat_zero)
  write.csv(d, path, row.names=FALSE, na="")
  read.csv(path, stringsAsFactors=FALSE, check.names=FALSE)
}
strat <- export(apistrat, "api_strat.csv")
clus1 <- export(apiclus1, "api_clus1.csv")

N <- nrow(apipop)
stype_pop <- table(apipop$stype)
wide_pop <- table(apipop$sch.wide)
enroll_pop <- sum(apipop$enroll, na.rm=TRUE)
json_margin <- function(t) paste0("{", paste0('"', names(t), '": ', as.numeric(t), collapse=", "), "}")
writeLines(c("{", paste0('  "stype": ', json_margin(stype_pop), ","), paste0('  "sch.wide": ', json_margin(wide_pop), ","),
             paste0('  "population_total": ', N), "}"), "api_rake.json")
writeLines(c("{", paste0('  "stype": ', json_margin(stype_pop), ","), paste0('  "enroll": ', enroll_pop, ","),
             paste0('  "population_total": ', N), "}"), "api_calibration.json")

dstrat <- svydesign(id=~1, strata=~stype, weights=~pw, fpc=~fpc, data=strat)
dzero <- svydesign(id=~1, strata=~stype, weights=~pw0, fpc=~fpc, data=strat)
dclus1 <- svydesign(id=~dnum, weights=~pw, fpc=~fpc, data=clus1)
raked <- rake(dclus1, list(~stype, ~sch.wide),
              list(data.frame(stype=names(stype_pop), Freq=as.numeric(stype_pop)),
                   data.frame(sch.wide=names(wide_pop), Freq=as.numeric(wide_pop))),
              control=list(maxit=200, epsilon=1e-12))
population <- c(`(Intercept)`=N, stypeH=stype_pop[["H"]], stypeM=stype_pop[["M"]], enroll=enroll_pop)
cal <- function(calfun, bounds=c(-Inf, Inf))
  calibrate(dclus1, ~stype + enroll, population, calfun=calfun, bounds=bounds, epsilon=1e-13, maxit=200)
designs <- list(
  strat=dstrat, strat_zero=dzero, clus1=dclus1, clus1_raked=raked,
  clus1_linear=cal("linear"), clus1_raking=cal("raking"), clus1_logit=cal("logit", c(0.7, 1.7)),
  clus1_linear_bounded=cal("linear", c(0.8, 1.6)), clus1_raking_bounded=cal("raking", c(0.7, 1.7)))
calibrated <- names(designs)[startsWith(names(designs), "clus1_")]
# Weights with 17 significant digits: read back, they are R's doubles to the last bit.
write.csv(do.call(rbind, lapply(calibrated, function(nm)
  data.frame(design=nm, row=seq_len(nrow(clus1)), weight=sprintf("%.17g", weights(designs[[nm]]))))),
  "calibrated_weights.csv", row.names=FALSE, quote=FALSE)

out <- list()
add <- function(design, estimator, variable, by, group, key, quantity, value)
  out[[length(out) + 1]] <<- data.frame(design=design, estimator=estimator, variable=variable, by=by, group=group,
                                        key=as.character(key), quantity=quantity, value=as.numeric(value))
# A domain as the CLI writes it: the value, or a=x;b=y for several columns.
group_of <- function(b, by, i) {
  if (length(by) == 1) return(as.character(b[[by]][i]))
  paste0(by, "=", sapply(by, function(v) as.character(b[[v]][i])), collapse=";")
}
# The degrees of freedom of each domain (degf of the subset, as svyby's FUN sees it).
domain_df <- function(D, b, by, i) {
  inside <- Reduce(`&`, lapply(by, function(v) D$variables[[v]] == b[[v]][i]))
  degf(D[inside, ])
}

probabilities <- c(0.25, 0.5, 0.75)
for (nm in names(designs)) {
  D <- update(designs[[nm]], award01=as.numeric(awards == "Yes"))
  strat_only <- nm == "strat"
  for (by in list(NULL, "stype", c("stype", "sch.wide"))) {
    byname <- paste(by, collapse=",")
    # Quantiles: svyquantile(ci = TRUE) with its defaults (qrule "math", interval.type "mean").
    for (p in probabilities) {
      if (is.null(by)) {
        q <- svyquantile(~api00, D, p, ci=TRUE)$api00
        add(nm, "quantile", "api00", "", "", p, "estimate", q[1, "quantile"]); add(nm, "quantile", "api00", "", "", p, "se", q[1, "se"])
        add(nm, "quantile", "api00", "", "", p, "ci_low", q[1, 2]); add(nm, "quantile", "api00", "", "", p, "ci_high", q[1, 3])
        add(nm, "quantile", "api00", "", "", p, "df", degf(D))
      } else {
        b <- svyby(~api00, make.formula(by), D, svyquantile, quantiles=p, ci=TRUE, vartype=c("se", "ci"))
        for (i in seq_len(nrow(b))) {
          g <- group_of(b, by, i)
          add(nm, "quantile", "api00", byname, g, p, "estimate", b$api00[i]); add(nm, "quantile", "api00", byname, g, p, "se", b$se.api00[i])
          add(nm, "quantile", "api00", byname, g, p, "ci_low", b$ci_l[i]); add(nm, "quantile", "api00", byname, g, p, "ci_high", b$ci_u[i])
          add(nm, "quantile", "api00", byname, g, p, "df", domain_df(D, b, by, i))
        }
      }
    }
    # Ratios: svyratio (normal interval), with deff = TRUE.
    if (is.null(by)) {
      r <- svyratio(~api.stu, ~enroll, D, deff=TRUE)
      ci <- confint(r)
      for (x in list(c("estimate", coef(r)), c("se", SE(r)), c("ci_low", ci[1]), c("ci_high", ci[2]), c("deff", deff(r)), c("df", degf(D))))
        add(nm, "ratio", "api.stu/enroll", "", "", "", x[[1]], x[[2]])
    } else {
      b <- svyby(~api.stu, make.formula(by), D, svyratio, denominator=~enroll, deff=TRUE, vartype=c("se", "ci"))
      for (i in seq_len(nrow(b))) {
        g <- group_of(b, by, i)
        for (x in list(c("estimate", b[["api.stu/enroll"]][i]), c("se", b[["se.api.stu/enroll"]][i]), c("ci_low", b$ci_l[i]),
                       c("ci_high", b$ci_u[i]), c("deff", b[["DEff"]][i]), c("df", domain_df(D, b, by, i))))
          add(nm, "ratio", "api.stu/enroll", byname, g, "", x[[1]], x[[2]])
      }
    }
    # Counts: svytotal(~factor(awards)), with deff = TRUE (and of stype, overall).
    levels_awards <- c("No", "Yes")
    if (is.null(by)) {
      for (v in c("awards", "stype")) {
        t <- svytotal(make.formula(paste0("factor(", v, ")")), D, deff=TRUE)
        ci <- confint(t)
        for (k in seq_along(coef(t))) {
          level <- sub(paste0("^factor\\(", v, "\\)"), "", names(coef(t))[k])
          for (x in list(c("estimate", coef(t)[k]), c("se", SE(t)[k]), c("ci_low", ci[k, 1]), c("ci_high", ci[k, 2]),
                         c("deff", diag(as.matrix(attr(t, "deff")))[k]), c("df", degf(D))))
            add(nm, "count", v, "", "", level, x[[1]], x[[2]])
        }
      }
    } else {
      # awards as a factor with both levels, so a domain with one of them keeps the other at 0.
      F <- update(D, awards=factor(awards, levels=levels_awards))
      b <- svyby(~awards, make.formula(by), F, svytotal, deff=TRUE, vartype=c("se", "ci"))
      for (i in seq_len(nrow(b))) for (level in levels_awards) {
        g <- group_of(b, by, i)
        column <- paste0("awards", level)
        for (x in list(c("estimate", b[[column]][i]), c("se", b[[paste0("se.", column)]][i]), c("ci_low", b[[paste0("ci_l.", column)]][i]),
                       c("ci_high", b[[paste0("ci_u.", column)]][i]), c("deff", b[[paste0("DEff.", column)]][i]), c("df", domain_df(D, b, by, i))))
          add(nm, "count", "awards", byname, g, level, x[[1]], x[[2]])
      }
    }
    # Means, shares (as svymean of the indicator) and totals with deff = TRUE, and each domain's degf.
    for (case in list(c("mean", "api00"), c("share", "award01"), c("total", "enroll"))) {
      FUN <- if (case[1] == "total") svytotal else svymean
      variable <- if (case[1] == "share") "awards" else case[2]
      if (is.null(by)) {
        s <- FUN(make.formula(case[2]), D, deff=TRUE)
        for (x in list(c("estimate", coef(s)), c("se", SE(s)), c("deff", deff(s)), c("df", degf(D))))
          add(nm, case[1], variable, "", "", "", x[[1]], x[[2]])
      } else {
        b <- svyby(make.formula(case[2]), make.formula(by), D, FUN, deff=TRUE)
        for (i in seq_len(nrow(b))) {
          g <- group_of(b, by, i)
          for (x in list(c("estimate", b[[case[2]]][i]), c("se", b[["se"]][i]), c("deff", b[[paste0("DEff.", case[2])]][i]),
                         c("df", domain_df(D, b, by, i))))
            add(nm, case[1], variable, byname, g, "", x[[1]], x[[2]])
        }
      }
    }
  }
  # Regressions: svyglm, gaussian and binomial (quasibinomial: the same fit without the warning
  # about non-integer counts), with summary()'s t statistic, residual df and p-value.
  models <- list(c("gaussian", "api00 ~ ell + meals + stype"), c("binomial", "wide ~ ell + meals + stype"))
  if (strat_only) models[[3]] <- c("gaussian", "api00 ~ acs.k3 + meals")
  for (m in models) {
    family <- if (m[1] == "gaussian") gaussian() else quasibinomial()
    fit <- svyglm(as.formula(m[2]), design=D, family=family, control=glm.control(epsilon=1e-14, maxit=100))
    s <- summary(fit)$coefficients
    for (term in rownames(s)) {
      for (x in list(c("estimate", s[term, 1]), c("se", s[term, 2]), c("statistic", s[term, 3]), c("df", fit$df.residual), c("p_value", s[term, 4])))
        add(nm, paste0("glm_", m[1]), m[2], "", "", term, x[[1]], x[[2]])
    }
  }
}
# A variable with missing values: quantiles and a count of acs.k3 on strat (na.rm = TRUE).
for (p in probabilities) {
  q <- svyquantile(~acs.k3, dstrat, p, ci=TRUE, na.rm=TRUE)$acs.k3
  for (x in list(c("estimate", q[1, 1]), c("se", q[1, 4]), c("ci_low", q[1, 2]), c("ci_high", q[1, 3]), c("df", degf(subset(dstrat, !is.na(acs.k3))))))
    add("strat", "quantile", "acs.k3", "", "", p, x[[1]], x[[2]])
}
r <- svyratio(~api.stu, ~acs.k3, dstrat, na.rm=TRUE)
add("strat", "ratio", "api.stu/acs.k3", "", "", "", "estimate", coef(r)); add("strat", "ratio", "api.stu/acs.k3", "", "", "", "se", SE(r))

out <- do.call(rbind, out)
write.csv(out, "estimators_expected.csv", row.names=FALSE, na="")
cat("rows:", nrow(out), "\n")
