# Reference values from R's survey package for the diagnostic's benchmark (see README.md).
# Usage (from this folder): Rscript make_benchmark_reference.R
# Reads ../../survey/data/responses.csv and margins.json (likert-4000); writes benchmark_expected.csv.
suppressMessages(library(survey))
d <- read.csv("../../survey/data/responses.csv", stringsAsFactors=FALSE)
# The benchmark items, derived from the Likert items: waves are the two sexes, so a wave is a
# domain that crosses every stratum and PSU.
d$wave <- ifelse(d$sex == "F", 2022, 2018)
d$partnership_count <- d$q1
d$partnerships_evaluated <- d$q2
d$mecenat <- ifelse(is.na(d$q3), NA, as.numeric(d$q3 %in% c(1, 2)))
source("../../survey/data/likert_designs.R")
designs <- likert_designs(d, "../../survey/data/margins.json")
des <- designs$base
raked <- designs$raked

out <- data.frame(design=character(), item=character(), key=character(), statistic=character(), value=numeric(), stringsAsFactors=FALSE)
add <- function(design, item, key, statistic, value) out[nrow(out)+1,] <<- list(design, item, key, statistic, as.numeric(value))
for (nm in c("base", "raked")) {
  D <- if (nm == "base") des else raked
  # The mean number of partnerships in the wave, with its normal interval (confint).
  S <- subset(D, wave == 2022 & !is.na(partnership_count))
  mm <- svymean(~partnership_count, S, na.rm=TRUE)
  ci <- confint(mm)
  add(nm, "partnership_count", "mean", "estimate", coef(mm)); add(nm, "partnership_count", "mean", "se", SE(mm))
  add(nm, "partnership_count", "mean", "ci_low", ci[1]); add(nm, "partnership_count", "mean", "ci_high", ci[2])
  # The weighted distribution: share answering at most each value.
  cdf <- svycdf(~partnership_count, S, na.rm=TRUE)[[1]]
  for (v in 1:4) add(nm, "partnership_count", as.character(v), "cdf", cdf(v))
  # Shares with their logit intervals (svyciprop).
  E <- subset(D, wave == 2022 & !is.na(partnerships_evaluated))
  p <- svyciprop(~I(partnerships_evaluated == 1), E, method="logit", na.rm=TRUE)
  add(nm, "partnerships_evaluated", "yes", "estimate", coef(p)); add(nm, "partnerships_evaluated", "yes", "se", SE(p))
  add(nm, "partnerships_evaluated", "yes", "ci_low", confint(p)[1]); add(nm, "partnerships_evaluated", "yes", "ci_high", confint(p)[2])
  C <- subset(D, wave == 2022 & !is.na(mecenat))
  p <- svyciprop(~I(mecenat == 1), C, method="logit", na.rm=TRUE)
  add(nm, "partnership_categories", "mecenat", "estimate", coef(p)); add(nm, "partnership_categories", "mecenat", "se", SE(p))
  add(nm, "partnership_categories", "mecenat", "ci_low", confint(p)[1]); add(nm, "partnership_categories", "mecenat", "ci_high", confint(p)[2])
}
write.csv(out, "benchmark_expected.csv", row.names=FALSE)
cat("rows:", nrow(out), "\n")
