# Reference values from R's survey package for the diagnostic's benchmark (see README.md).
# Usage (from this folder): Rscript make_benchmark_reference.R
# Reads ../../survey/data/responses.csv and margins.json (likert-4000); writes benchmark_expected.csv
# with 17 significant digits (the test compares to 1e-9 relative).
suppressMessages(library(survey))
d <- read.csv("../../survey/data/responses.csv", stringsAsFactors=FALSE)
# The benchmark items, derived from the Likert items: waves are the two sexes, so a wave is a
# domain that crosses every stratum and PSU.
d$wave <- ifelse(d$sex == "F", 2022, 2018)
# Alliances lever.
d$partnership_count <- d$q1
d$partnerships_evaluated <- d$q2
d$mecenat <- ifelse(is.na(d$q3), NA, as.numeric(d$q3 %in% c(1, 2)))
# Human resources lever: the number of regular volunteers (a count).
d$volunteer_count <- d$q6
# Financial resources lever: the main resource (one code per organisation, text codes).
resources <- c("subventions", "cotisations", "dons", "mecenat")
d$main_resource <- ifelse(is.na(d$q5), NA, resources[d$q5])
source("../../survey/data/likert_designs.R")
designs <- likert_designs(d, "../../survey/data/margins.json")
des <- designs$base
raked <- designs$raked

out <- data.frame(design=character(), item=character(), key=character(), statistic=character(), value=numeric(), stringsAsFactors=FALSE)
add <- function(design, item, key, statistic, value) out[nrow(out)+1,] <<- list(design, item, key, statistic, as.numeric(value))
# A count: the mean in the wave with its normal interval (confint), and the weighted distribution
# (share answering at most each value, svycdf).
count <- function(nm, D, item) {
  S <- subset(D, wave == 2022 & !is.na(D$variables[[item]]))
  mm <- svymean(as.formula(paste0("~", item)), S, na.rm=TRUE)
  ci <- confint(mm)
  add(nm, item, "mean", "estimate", coef(mm)); add(nm, item, "mean", "se", SE(mm))
  add(nm, item, "mean", "ci_low", ci[1]); add(nm, item, "mean", "ci_high", ci[2])
  cdf <- svycdf(as.formula(paste0("~", item)), S, na.rm=TRUE)[[1]]
  for (v in 1:4) add(nm, item, as.character(v), "cdf", cdf(v))
}
# A share with its logit interval, among the wave's non-missing answers to `column`: what
# svyciprop(method = "logit") computes (the quasibinomial svyglm's coefficient and its Wald
# interval with the design's degrees of freedom, through expit), with glm iterated to 1e-15 rather
# than glm's default 1e-8 so that the reference is exact to the digits compared.
expit <- function(x) exp(x) / (1 + exp(x))
proportion <- function(nm, D, item, key, column, value) {
  S <- subset(D, wave == 2022 & !is.na(D$variables[[column]]))
  S <- update(S, hit = as.numeric(S$variables[[column]] == value))
  m <- svyglm(hit ~ 1, S, family=quasibinomial, control=glm.control(epsilon=1e-15, maxit=100))
  ci <- as.numeric(expit(confint(m, 1, level=0.95, method="Wald", ddf=degf(S))))
  p <- svyciprop(~I(hit == 1), S, method="logit", na.rm=TRUE)
  stopifnot(abs(expit(coef(m))[[1]] - coef(p)[[1]]) < 1e-7, abs(ci - confint(p)) < 1e-7)
  add(nm, item, key, "estimate", expit(coef(m))[[1]]); add(nm, item, key, "se", SE(p))
  add(nm, item, key, "ci_low", ci[1]); add(nm, item, key, "ci_high", ci[2])
}
for (nm in c("base", "raked")) {
  D <- if (nm == "base") des else raked
  count(nm, D, "partnership_count")
  proportion(nm, D, "partnerships_evaluated", "yes", "partnerships_evaluated", 1)
  proportion(nm, D, "partnership_categories", "mecenat", "mecenat", 1)
  count(nm, D, "volunteer_count")
  for (code in resources) proportion(nm, D, "main_resource", code, "main_resource", code)
}
out$value <- trimws(formatC(out$value, digits=17, format="g"))
write.csv(out, "benchmark_expected.csv", row.names=FALSE)
cat("rows:", nrow(out), "\n")
