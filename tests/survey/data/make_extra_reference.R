# More reference values from R's survey package, on the same likert-4000 data (see README.md).
# Usage (from this folder): Rscript make_extra_reference.R
# Writes extra_expected.csv and trimmed_weights.csv.
suppressMessages(library(survey))
d <- read.csv("responses.csv", stringsAsFactors=FALSE)
source("likert_designs.R")
designs <- likert_designs(d, "margins.json")
des <- designs$base
raked <- designs$raked

out <- data.frame(case=character(), design=character(), item=character(), statistic=character(), value=numeric(), stringsAsFactors=FALSE)
add <- function(case, design, item, statistic, value) out[nrow(out)+1,] <<- list(case, design, item, statistic, as.numeric(value))
top2 <- function(D, q) { D$variables$top2 <- as.numeric(D$variables[[q]] %in% c(1,2)); subset(D, !is.na(D$variables[[q]])) }

for (q in c("q1", "q6")) for (nm in c("base", "raked")) {
  D <- if (nm == "base") des else raked
  S <- top2(D, q)
  # Difference of two domain shares (M minus F) with its SE, t and p: the design-based t-test.
  t <- svyttest(top2 ~ sex, S)
  add("difference_sex", nm, q, "estimate", t$estimate)
  add("difference_sex", nm, q, "se", t$estimate / t$statistic)
  add("difference_sex", nm, q, "df", t$parameter)
  add("difference_sex", nm, q, "p_value", t$p.value)
  # Rao-Scott second-order F of the answer by sex.
  x <- svychisq(as.formula(paste0("~", q, "+sex")), S, statistic="F")
  add("raoscott_sex", nm, q, "F", x$statistic)
  add("raoscott_sex", nm, q, "ndf", x$parameter[["ndf"]])
  add("raoscott_sex", nm, q, "ddf", x$parameter[["ddf"]])
  add("raoscott_sex", nm, q, "p_value", x$p.value)
  # Totals and means by region.
  tt <- svytotal(as.formula(paste0("~", q)), D, na.rm=TRUE)
  add("total", nm, q, "estimate", coef(tt)); add("total", nm, q, "se", SE(tt))
  b <- svyby(as.formula(paste0("~", q)), ~region, subset(D, !is.na(D$variables[[q]])), svymean, na.rm=TRUE)
  for (i in seq_len(nrow(b))) { add(paste0("mean_region_", b$region[i]), nm, q, "estimate", b[[q]][i]); add(paste0("mean_region_", b$region[i]), nm, q, "se", b$se[i]) }
}

# Trimming the raked weights to [0.5, 2] times their mean, once and until no weight is outside.
mw <- mean(weights(raked))
trimmed <- trimWeights(raked, upper=2 * mw, lower=0.5 * mw)
strict <- trimWeights(raked, upper=2 * mw, lower=0.5 * mw, strict=TRUE)
write.csv(data.frame(id=d$id, trimmed=weights(trimmed), strict=weights(strict)), "trimmed_weights.csv", row.names=FALSE)
for (nm in c("trimmed", "strict")) {
  D <- if (nm == "trimmed") trimmed else strict
  p <- svyciprop(~top2, top2(D, "q1"), method="logit")
  add("trim_share", nm, "q1", "estimate", coef(p)); add("trim_share", nm, "q1", "se", SE(p))
}

# Finite-population correction: each stratum's population holds 400 PSUs.
d$fpc <- 400
F <- svydesign(ids=~psu, strata=~stratum, weights=~base_weight, data=d, nest=TRUE, fpc=~fpc)
p <- svyciprop(~top2, top2(F, "q1"), method="logit")
add("fpc_share", "fpc", "q1", "estimate", coef(p)); add("fpc_share", "fpc", "q1", "se", SE(p))

# A stratum with a single PSU, adjusted on the grand mean: keep one PSU of stratum S5.
first <- sort(unique(d$psu[d$stratum == "S5"]))[1]
L <- d[d$stratum != "S5" | d$psu == first, ]
write.csv(data.frame(id=L$id), "lonely_ids.csv", row.names=FALSE)
options(survey.lonely.psu="adjust")
LD <- svydesign(ids=~psu, strata=~stratum, weights=~base_weight, data=L, nest=TRUE)
mm <- svymean(~q1, LD, na.rm=TRUE)
add("lonely_adjust_mean", "lonely", "q1", "estimate", coef(mm)); add("lonely_adjust_mean", "lonely", "q1", "se", SE(mm))

write.csv(out, "extra_expected.csv", row.names=FALSE)
cat("rows:", nrow(out), "\n")
