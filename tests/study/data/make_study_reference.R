# Reference estimates of the fixture study hand-study/, computed with R's survey package (Lumley).
# Usage, from this folder (tests/study/data/):  Rscript make_study_reference.R
# Reads hand-study/study.yaml, its questionnaire, its margins and the two delivered wave files
# (the SPSS file with haven, the French CSV with read.csv), and writes expected_estimates.csv.
#
# Each wave is weighted on its own rows only:
#   svydesign(ids = ~1, strata = ~strate, weights = ~poids) then rake() to the margins
#   (population.margins = share x population_total, maxit = 100, epsilon = 1e-12).
# Answers whose code is missing in the questionnaire (9, « ne sait pas ») are NA, and every
# estimate of an item is on subset(design, !is.na(item)) (a domain: the design is kept whole).
#   shares: svyciprop(~I(q %in% codes), method = "logit"), overall and with svyby(..., svyciprop,
#           vartype = c("se", "ci")) by each segment; the interval uses svyciprop's default
#           df = degf(design) of the design it is given (respondents with a non-zero weight in
#           the base, or in the base and the group, minus the strata they cover).
#   means:  svymean(na.rm = TRUE: a raked design's domain keeps its NA rows, with weight 0),
#           overall and with svyby(..., svymean), interval from confint() (normal).
#   n:      unweighted number of respondents who answered the item (in the group).
suppressMessages({
  library(survey)
  library(haven)
  library(yaml)
  library(jsonlite)
})

folder <- "hand-study"
study <- read_yaml(file.path(folder, "study.yaml"))

#' Recode a wave's columns to the questionnaire's codes; missing codes (9) become NA.
recode <- function(data, questionnaire) {
  scales <- setNames(questionnaire$scales, vapply(questionnaire$scales, `[[`, "", "name"))
  for (item in questionnaire$items) {
    name <- item$name
    if (item$type == "select_one") {
      choices <- scales[[item$scale]]$choices
      codes <- vapply(choices, function(c) as.character(c$code), "")
      labels <- vapply(choices, function(c) c$label$fr, "")
      missing <- codes[vapply(choices, function(c) isTRUE(c$missing), TRUE)]
      text <- as.character(data[[name]])
      text <- sub("\\.0+$", "", text)  # SPSS numbers: 1.0 is code 1
      coded <- ifelse(text %in% codes, text, codes[match(text, labels)])
      stopifnot(all(is.na(text) == is.na(coded)))  # every answer is a code or a French label
      coded[coded %in% missing] <- NA
      numeric_codes <- !any(is.na(suppressWarnings(as.numeric(codes))))
      data[[name]] <- if (numeric_codes) as.numeric(coded) else coded
    } else if (item$type %in% c("integer", "decimal")) {
      data[[name]] <- as.numeric(sub(",", ".", as.character(data[[name]]), fixed = TRUE))
    } else {
      data[[name]] <- as.character(data[[name]])
    }
  }
  data
}

#' Read a delivered wave file: SPSS (user-missing 9 read as NA) or a French CSV of labels.
read_wave <- function(path) {
  if (grepl("\\.sav$", path)) {
    data <- zap_labels(read_sav(path, user_na = FALSE))
    return(as.data.frame(data, stringsAsFactors = FALSE))
  }
  read.csv(path, sep = ";", fileEncoding = "CP1252", colClasses = "character",
           na.strings = "", check.names = FALSE)
}

#' Whether svyciprop's logit fit converged: its estimate must be the weighted share (up to
#' glm's own convergence, about 1e-9, well within the tests' 1e-6). On a tiny domain, glm's
#' IRLS can diverge (svyglm rescales the weights by their mean over the whole sample, zeros
#' included, so a small domain's weights are large), giving 0, 1 or NaN.
converged <- function(estimate, formula, design) {
  share <- as.numeric(coef(svymean(formula, design))[2])
  isTRUE(abs(estimate - share) < 1e-7 * share)
}

suppress_below <- if (is.null(study$suppress_below)) 10 else study$suppress_below

number <- function(x) ifelse(is.na(x), "", sprintf("%.17g", x))

rows <- list()
add <- function(...) rows[[length(rows) + 1]] <<- data.frame(..., stringsAsFactors = FALSE)

for (population in study$populations) {
  stopifnot(identical(population$design$weights, "poids"),
            identical(population$design$strata, "strate"),
            is.null(population$design$psu))
  questionnaire <- read_yaml(file.path(folder, population$questionnaire))
  margins <- fromJSON(file.path(folder, population$margins))
  total <- margins$population_total
  variables <- setdiff(names(margins), "population_total")
  population_margins <- lapply(variables, function(v) {
    shares <- unlist(margins[[v]])
    frame <- data.frame(names(shares), as.numeric(shares) * total, stringsAsFactors = FALSE)
    names(frame) <- c(v, "Freq")
    frame
  })
  sample_margins <- lapply(variables, function(v) as.formula(paste0("~", v)))
  segments <- unlist(population$segments)

  for (wave in population$waves) {
    data <- recode(read_wave(file.path(folder, wave$file)), questionnaire)
    for (segment in segments) data[[segment]] <- as.character(data[[segment]])
    base <- svydesign(ids = ~1, strata = ~strate, weights = ~poids, data = data)
    raked <- withCallingHandlers(
      rake(base, sample_margins, population_margins,
           control = list(maxit = 100, epsilon = 1e-12)),
      warning = function(w) stop("raking: ", conditionMessage(w))
    )
    stopifnot(abs(sum(weights(raked)) - total) < 1e-6 * total)
    for (variable in variables) {  # the raked weights meet every margin
      reached <- tapply(weights(raked), data[[variable]], sum)
      wanted <- setNames(population_margins[[match(variable, variables)]]$Freq,
                         population_margins[[match(variable, variables)]][[variable]])
      stopifnot(max(abs(reached[names(wanted)] - wanted)) < 1e-6)
    }

    for (spec in population$shares) {
      q <- spec$item
      codes <- as.numeric(unlist(spec$codes))
      answered <- eval(bquote(subset(raked, !is.na(.(as.name(q))))))
      formula <- eval(bquote(~I(.(as.name(q)) %in% .(codes))))
      p <- svyciprop(formula, answered, method = "logit")
      if (!converged(as.numeric(coef(p)), formula, answered))
        stop("svyciprop did not converge: ", wave$wave, " ", q)
      ci <- as.numeric(confint(p))
      add(population = population$population, wave = wave$wave, variable = q,
          statistic = "share", by = "", group = "", estimate = as.numeric(coef(p)),
          se = as.numeric(SE(p)), ci_low = ci[1], ci_high = ci[2], n = sum(!is.na(data[[q]])))
      for (segment in segments) {
        by <- svyby(formula, as.formula(paste0("~", segment)), answered, svyciprop,
                    method = "logit", vartype = c("se", "ci"))
        stopifnot(identical(names(by)[c(1, 4, 5)], c(segment, "ci_l", "ci_u")),
                  startsWith(names(by)[3], "se."))
        for (i in seq_len(nrow(by))) {
          group <- as.character(by[[segment]][i])
          inside <- !is.na(data[[q]]) & data[[segment]] == group
          # svyby's interval is svyciprop's on the group's domain
          domain <- answered[answered$variables[[segment]] == group, ]
          one <- svyciprop(formula, domain, method = "logit")
          stopifnot(isTRUE(all.equal(as.numeric(confint(one)),
                                     c(by$ci_l[i], by$ci_u[i]), tolerance = 1e-12)))
          values <- c(by[i, 2], by[i, 3], by$ci_l[i], by$ci_u[i])
          if (!converged(by[i, 2], formula, domain)) {
            where <- paste(wave$wave, q, segment, group, "n =", sum(inside))
            # Only a suppressed estimate may lack its reference values: the tests ignore them.
            if (sum(inside) >= suppress_below) stop("svyciprop did not converge: ", where)
            message("svyciprop did not converge (suppressed, values left empty): ", where)
            values <- rep(NA, 4)
          }
          add(population = population$population, wave = wave$wave, variable = q,
              statistic = "share", by = segment, group = group, estimate = values[1],
              se = values[2], ci_low = values[3], ci_high = values[4], n = sum(inside))
        }
      }
    }

    for (q in unlist(population$means)) {
      answered <- eval(bquote(subset(raked, !is.na(.(as.name(q))))))
      formula <- as.formula(paste0("~", q))
      m <- svymean(formula, answered, na.rm = TRUE)  # the domain keeps its NA rows (weight 0)
      ci <- as.numeric(confint(m))
      add(population = population$population, wave = wave$wave, variable = q,
          statistic = "mean", by = "", group = "", estimate = as.numeric(coef(m)),
          se = as.numeric(SE(m)), ci_low = ci[1], ci_high = ci[2], n = sum(!is.na(data[[q]])))
      for (segment in segments) {
        by <- svyby(formula, as.formula(paste0("~", segment)), answered, svymean,
                    na.rm = TRUE, vartype = c("se", "ci"))
        stopifnot(identical(names(by), c(segment, q, "se", "ci_l", "ci_u")))
        ci <- confint(by)
        stopifnot(isTRUE(all.equal(unname(ci[, 1]), by$ci_l, tolerance = 1e-12)))
        for (i in seq_len(nrow(by))) {
          group <- as.character(by[[segment]][i])
          inside <- !is.na(data[[q]]) & data[[segment]] == group
          add(population = population$population, wave = wave$wave, variable = q,
              statistic = "mean", by = segment, group = group, estimate = by[i, 2],
              se = by$se[i], ci_low = by$ci_l[i], ci_high = by$ci_u[i], n = sum(inside))
        }
      }
    }
  }
}

out <- do.call(rbind, rows)
for (column in c("estimate", "se", "ci_low", "ci_high")) out[[column]] <- number(out[[column]])
out$n <- as.integer(out$n)
stopifnot(!any(grepl("[,\"]", as.matrix(out))))
write.csv(out, "expected_estimates.csv", row.names = FALSE, quote = FALSE)
cat("rows:", nrow(out), "\n")
cat("R", as.character(getRversion()), "survey", as.character(packageVersion("survey")), "\n")
