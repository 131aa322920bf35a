# Reference values for domains crossing two columns (sex x region), from R's survey package, on the
# likert-4000 data (see README.md). Usage (from this folder): Rscript make_domains_reference.R
# Writes domains_expected.csv: for the base and raked designs, by sex and region, in svyby's order
# (the row's `order`; the first column varies fastest),
#   - share_q1: the top-2 share of q1 with svyciprop(method = "logit"), its SE and interval;
#   - mean_q2:  the mean of q2 (svymean, na.rm = TRUE: a raked design keeps the subset's other rows) and its SE;
#   - total_q3: the total of q3 (svytotal, na.rm = TRUE) and its SE.
suppressMessages(library(survey))
d <- read.csv("responses.csv", stringsAsFactors=FALSE)
source("likert_designs.R")
designs <- likert_designs(d, "margins.json")

out <- data.frame(design=character(), statistic=character(), order=integer(), sex=character(), region=character(),
                  estimate=numeric(), se=numeric(), ci_low=numeric(), ci_high=numeric(), stringsAsFactors=FALSE)
add <- function(...) out[nrow(out)+1,] <<- list(...)
# svyby's columns: sex, region, the estimate, its SE, then (svyciprop) ci_l and ci_u.
keep <- function(nm, statistic, b) {
  ci <- "ci_l" %in% names(b)
  for (i in seq_len(nrow(b))) {
    add(nm, statistic, i, as.character(b$sex[i]), as.character(b$region[i]), as.numeric(b[[3]][i]), as.numeric(b[[4]][i]),
        if (ci) as.numeric(b$ci_l[i]) else NA, if (ci) as.numeric(b$ci_u[i]) else NA)
  }
}

for (nm in c("base", "raked")) {
  D <- designs[[nm]]
  b <- svyby(~I(q1 %in% 1:2), ~sex+region, subset(D, !is.na(q1)), svyciprop, method="logit", vartype=c("se", "ci"))
  keep(nm, "share_q1", b)
  b <- svyby(~q2, ~sex+region, subset(D, !is.na(q2)), svymean, na.rm=TRUE)
  keep(nm, "mean_q2", b)
  b <- svyby(~q3, ~sex+region, D, svytotal, na.rm=TRUE)
  keep(nm, "total_q3", b)
}

write.csv(out, "domains_expected.csv", row.names=FALSE, na="")
cat("rows:", nrow(out), "\n")
