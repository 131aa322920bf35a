# Issue 12's estimator jobs with R's survey package (Lumley), as benchmarks/estimators_bench.py.
# Usage: Rscript estimators_job.R DATA.csv TARGETS.json
# Prints one JSON line: seconds per job (reading excluded; the design is built once, timed apart).
suppressMessages(library(survey))
args <- commandArgs(trailingOnly=TRUE)
d <- read.csv(args[1], stringsAsFactors=FALSE)
targets <- readLines(args[2], warn=FALSE)
timed <- list()
clock <- function(name, expr) {
  start <- proc.time()[["elapsed"]]
  force(expr)
  timed[[name]] <<- proc.time()[["elapsed"]] - start
}

clock("design", des <- svydesign(ids=~psu, strata=~stratum, weights=~base_weight, data=d, nest=TRUE))
clock("quantile", {
  svyquantile(~income, des, c(0.25, 0.5, 0.75), ci=TRUE)
  svyby(~income, ~region, des, svyquantile, quantiles=c(0.25, 0.5, 0.75), ci=TRUE)
})
clock("ratio", {
  svyratio(~income, ~employees, des)
  svyby(~income, ~region, des, svyratio, denominator=~employees)
})
clock("count", {
  svytotal(~factor(age), des)
  svyby(~factor(age), ~region, des, svytotal)
})
clock("by two columns", svyby(~income, ~sex+region, des, svymean))
clock("deff", {
  svymean(~income, des, deff=TRUE)
  svyby(~income, ~region, des, svymean, deff=TRUE)
})
# The targets (written by estimators_bench.py): proportions of sex, age and region, the total of
# employees and the population; read with a regular expression (no jsonlite needed).
json <- paste(targets, collapse="")
N <- as.numeric(sub('.*"population_total": *([0-9.e+]+).*', "\\1", json))
employees <- as.numeric(sub('.*"employees": *([0-9.e+]+).*', "\\1", json))
escape <- function(text) gsub("([][{}()+*^$|\\\\?.])", "\\\\\\1", text)
share <- function(variable, level) {
  block <- sub(paste0('.*"', variable, '": *\\{([^}]*)\\}.*'), "\\1", json)
  as.numeric(sub(paste0('.*"', escape(level), '": *([0-9.e-]+).*'), "\\1", block))
}
clock("calibrate", {
  mm <- model.matrix(~sex + age + region, d)
  population <- c(N, sapply(colnames(mm)[-1], function(column) {
    for (v in c("sex", "age", "region")) if (startsWith(column, v)) return(share(v, substring(column, nchar(v) + 1)) * N)
  }), employees)
  names(population) <- c(colnames(mm), "employees")
  calibrated <- calibrate(des, ~sex + age + region + employees, population, calfun="linear")
  svymean(~income, calibrated)
})
clock("glm", {
  summary(svyglm(income ~ age + sex + employees, des))
  summary(svyglm(top ~ age + sex + employees, des, family=quasibinomial()))
})
cat(paste0("{", paste0('"', names(timed), '": ', sprintf("%.3f", unlist(timed)), collapse=", "), "}\n"))
