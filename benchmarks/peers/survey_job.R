# The survey benchmark job with R's survey package (Lumley).
# Usage: Rscript survey_job.R DATA.csv MARGINS.csv (columns variable, level, share)
# Prints one JSON line: seconds (reading excluded) and peak memory (VmHWM).
suppressMessages(library(survey))
args <- commandArgs(trailingOnly=TRUE)
d <- read.csv(args[1], stringsAsFactors=FALSE)
m <- read.csv(args[2], stringsAsFactors=FALSE)  # variable, level, share
items <- grep("^q[0-9]+$", names(d), value=TRUE)
start <- proc.time()[["elapsed"]]
des <- svydesign(ids=~psu, strata=~stratum, weights=~base_weight, data=d, nest=TRUE)
N <- sum(d$base_weight)
tabs <- list(); forms <- list()
for (v in unique(m$variable)) {
  t <- data.frame(m$level[m$variable == v], m$share[m$variable == v] * N); names(t) <- c(v, "Freq")
  tabs[[length(tabs) + 1]] <- t; forms[[length(forms) + 1]] <- as.formula(paste0("~", v))
}
r <- rake(des, forms, tabs, control=list(maxit=1000, epsilon=1e-10))
for (q in items) {
  r$variables$top2 <- as.numeric(r$variables[[q]] %in% c(1, 2))
  S <- subset(r, !is.na(r$variables[[q]]))
  p <- svyciprop(~top2, S, method="logit"); confint(p)
  b <- svyby(~top2, ~region, S, svyciprop, vartype="ci", method="logit")
}
seconds <- proc.time()[["elapsed"]] - start
status <- readLines("/proc/self/status")
peak <- as.numeric(gsub("[^0-9]", "", status[grepl("^VmHWM", status)])) / 1024
cat(sprintf('{"seconds": %.3f, "peak_mb": %.1f}\n', seconds, peak))
