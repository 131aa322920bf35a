# The likert-4000 designs used by the project's R reference scripts (sourced by
# make_extra_reference.R and ../../diagnostic/data/make_benchmark_reference.R).
# likert_designs(d, margins_path) returns list(base=, raked=): the design as drawn (PSUs nested in
# strata, base weights) and the same raked to margins.json (epsilon 1e-12).
likert_designs <- function(d, margins_path) {
  m <- readLines(margins_path)
  # margins.json is read by hand (no jsonlite): one variable per line, "population_total" last.
  parse_line <- function(line) {
    name <- sub('^ *"([^"]+)".*$', "\\1", line)
    body <- sub('^[^{]*\\{(.*)\\}.*$', "\\1", line)
    pairs <- strsplit(body, ", *")[[1]]
    keys <- sub('^ *"([^"]+)".*$', "\\1", pairs)
    values <- as.numeric(sub('^.*: *', "", pairs))
    list(name=name, margin=setNames(values, keys))
  }
  lines <- m[grepl("\\{", m) & !grepl("^\\{$", m)]
  pop <- lapply(lines, parse_line); names(pop) <- sapply(pop, `[[`, "name"); pop <- lapply(pop, `[[`, "margin")
  N <- as.numeric(sub('^.*: *', "", m[grepl("population_total", m)]))
  des <- svydesign(ids=~psu, strata=~stratum, weights=~base_weight, data=d, nest=TRUE)
  tabs <- lapply(names(pop), function(v) { t <- data.frame(names(pop[[v]]), as.numeric(pop[[v]]) * N); names(t) <- c(v, "Freq"); t })
  raked <- rake(des, lapply(names(pop), function(v) as.formula(paste0("~", v))), tabs, control=list(maxit=200, epsilon=1e-12))
  list(base=des, raked=raked)
}
