# Reference values for calibrate() on replicate weight designs, on R's api data.
# Run from this folder with R 4.2 and survey 4.1.1, after make_replicates_reference.R (whose
# replicates_<design>.csv it only reads): Rscript make_replicates_calibration_reference.R
# Each design is rebuilt exactly as make_replicates_reference.R rebuilds it, then calibrated with
# calibrate.svyrep.design (every replicate calibrated to the same totals) to apipop's school
# types and total enrolment. Writes replicates_calibrated_weights.csv (design, row, weight: the
# calibrated main weights, 17 significant digits) and replicates_calibrated_expected.csv (design,
# estimator, variable, quantity, value). compress = FALSE: the default NA stops survey 4.1.1 with
# "missing value where TRUE/FALSE needed" (its test of compress on replicate designs).
suppressMessages(library(survey))
data(api)
options(survey.replicates.mse = FALSE)

scales <- read.csv("replicates_rscales.csv", stringsAsFactors = FALSE)
load_design <- function(name) {
  s <- scales[scales$design == name, ]
  back <- read.csv(paste0("replicates_", name, ".csv"), stringsAsFactors = FALSE)
  jkn <- s$type == "JKn"
  d <- svrepdesign(data = back, repweights = "rep_", weights = ~pw, type = s$type,
                   combined.weights = TRUE,
                   rscales = if (jkn) as.numeric(strsplit(s$rscales, ";")[[1]]) else NULL,
                   scale = if (jkn) s$scale else NULL)
  update(d, yes = as.numeric(awards == "Yes"))
}

pop_types <- table(apipop$stype)
population <- c(`(Intercept)` = nrow(apipop), stypeH = pop_types[["H"]],
                stypeM = pop_types[["M"]], enroll = sum(apipop$enroll, na.rm = TRUE))
cases <- list(
  linear = list("linear", c(-Inf, Inf)),
  raking = list("raking", c(-Inf, Inf)),
  logit = list("logit", c(0.5, 2.5)),
  linear_bounded = list("linear", c(0.5, 2.5))
)
rows <- list()
weights_out <- list()
add <- function(design, estimator, variable, quantity, value) {
  rows[[length(rows) + 1]] <<- data.frame(design = design, estimator = estimator,
    variable = variable, quantity = quantity, value = sprintf("%.17g", value))
}
for (name in c("clus1_jk1", "strat_jkn")) {
  d <- load_design(name)
  for (case in names(cases)) {
    dn <- paste(name, case, sep = "_")
    x <- calibrate(d, ~stype + enroll, population, calfun = cases[[case]][[1]],
                   bounds = cases[[case]][[2]], epsilon = 1e-13, maxit = 200,
                   compress = FALSE)
    weights_out[[dn]] <- data.frame(design = dn, row = seq_len(nrow(d)),
                                    weight = sprintf("%.17g", weights(x, "sampling")))
    add(dn, "replicate_weights", "", "max", max(weights(x, "analysis")))
    add(dn, "replicate_weights", "", "min", min(weights(x, "analysis")))
    m <- svymean(~api00, x)
    add(dn, "mean", "api00", "estimate", coef(m)); add(dn, "mean", "api00", "se", SE(m))
    p <- svymean(~yes, x)
    add(dn, "share", "yes", "estimate", coef(p)); add(dn, "share", "yes", "se", SE(p))
    t <- svytotal(~enroll, x)
    add(dn, "total", "enroll", "estimate", coef(t)); add(dn, "total", "enroll", "se", SE(t))
  }
}
write.csv(do.call(rbind, weights_out), "replicates_calibrated_weights.csv", row.names = FALSE,
          quote = FALSE)
write.csv(do.call(rbind, rows), "replicates_calibrated_expected.csv", row.names = FALSE,
          quote = FALSE)
