"""Every user-facing message, in French and English, under a stable key.

Keeping messages in one table lets a test prove that each exists in both languages and lets the
CLI, the web pages and the API show the same words. Placeholders use :meth:`str.format` syntax.
"""

from __future__ import annotations

from typing import Any

from alliance.i18n import LANGUAGES, Lang

MESSAGES: dict[str, dict[Lang, str]] = {
    # Parts of a location, joined by alliance.errors.Location.describe.
    "location.file": {"fr": "fichier {value}", "en": "file {value}"},
    "location.line": {"fr": "ligne {value}", "en": "line {value}"},
    "location.column": {"fr": "colonne {value}", "en": "column {value}"},
    "location.row": {"fr": "rangée {value}", "en": "row {value}"},
    "location.item": {"fr": "élément {value}", "en": "item {value}"},
    "location.field": {"fr": "champ {value}", "en": "field {value}"},
    "location.value": {"fr": "valeur {value}", "en": "value {value}"},
    # Referential loading.
    "referential.file_missing": {
        "fr": "Fichier du référentiel introuvable",
        "en": "Referential file not found",
    },
    "yaml.invalid": {
        "fr": "Fichier YAML illisible : {problem}",
        "en": "Unreadable YAML file: {problem}",
    },
    "referential.framework_name_mismatch": {
        "fr": "Le cadre s'appelle {declared!r} mais le fichier porte le nom {expected!r}",
        "en": "The framework is named {declared!r} but the file is named {expected!r}",
    },
    "referential.duplicate_code": {
        "fr": "Code en double dans le cadre {framework!r}",
        "en": "Duplicate code in framework {framework!r}",
    },
    "referential.unknown_parent": {
        "fr": "Le parent {parent!r} n'existe pas dans le cadre {framework!r}",
        "en": "Parent {parent!r} does not exist in framework {framework!r}",
    },
    "referential.unknown_target": {
        "fr": "La référence {target!r} ne mène à aucun élément du référentiel",
        "en": "Reference {target!r} points to no item of the referential",
    },
    "referential.unknown_source": {
        "fr": "La source {source!r} n'est pas déclarée dans sources.yaml",
        "en": "Source {source!r} is not declared in sources.yaml",
    },
    "referential.parent_cycle": {
        "fr": "Cycle de parents dans le cadre {framework!r}",
        "en": "Parent cycle in framework {framework!r}",
    },
    # Validation of structured data (pydantic error types, plus our own validators' types).
    "validation.missing": {"fr": "Champ obligatoire absent", "en": "Required field missing"},
    "validation.extra_forbidden": {
        "fr": "Champ inconnu (faute de frappe ?)",
        "en": "Unknown field (a typo?)",
    },
    "validation.string_type": {"fr": "Texte attendu", "en": "Text expected"},
    "validation.string_too_short": {"fr": "Texte vide", "en": "Empty text"},
    "validation.string_too_long": {
        "fr": "Texte trop long (au plus {max_length} caractères)",
        "en": "Text too long (at most {max_length} characters)",
    },
    "validation.string_pattern_mismatch": {
        "fr": "Format invalide (attendu : {pattern})",
        "en": "Invalid format (expected: {pattern})",
    },
    "validation.enum": {
        "fr": "Valeur non admise (attendu : {expected})",
        "en": "Value not allowed (expected: {expected})",
    },
    "validation.literal_error": {
        "fr": "Valeur non admise (attendu : {expected})",
        "en": "Value not allowed (expected: {expected})",
    },
    "validation.int_type": {"fr": "Nombre entier attendu", "en": "Whole number expected"},
    "validation.int_parsing": {"fr": "Nombre entier attendu", "en": "Whole number expected"},
    "validation.int_from_float": {"fr": "Nombre entier attendu", "en": "Whole number expected"},
    "validation.float_type": {"fr": "Nombre attendu", "en": "Number expected"},
    "validation.float_parsing": {"fr": "Nombre attendu", "en": "Number expected"},
    "validation.greater_than": {
        "fr": "Valeur trop petite (doit dépasser {gt})",
        "en": "Value too small (must exceed {gt})",
    },
    "validation.greater_than_equal": {
        "fr": "Valeur trop petite (au moins {ge})",
        "en": "Value too small (at least {ge})",
    },
    "validation.less_than_equal": {
        "fr": "Valeur trop grande (au plus {le})",
        "en": "Value too large (at most {le})",
    },
    "validation.too_short": {
        "fr": "Liste trop courte (au moins {min_length} élément)",
        "en": "List too short (at least {min_length} item)",
    },
    "validation.list_type": {"fr": "Liste attendue", "en": "List expected"},
    "validation.dict_type": {
        "fr": "Structure « clé : valeur » attendue",
        "en": "A 'key: value' mapping expected",
    },
    "validation.model_type": {
        "fr": "Structure « clé : valeur » attendue",
        "en": "A 'key: value' mapping expected",
    },
    "validation.bool_type": {"fr": "Oui/non attendu", "en": "Yes/no expected"},
    "validation.bool_parsing": {"fr": "Oui/non attendu", "en": "Yes/no expected"},
    "validation.placeholder_markers_missing": {
        "fr": (
            "Un élément au statut « unknown » doit porter les marqueurs {markers} dans ses "
            "libellés français et anglais"
        ),
        "en": (
            "An item with status 'unknown' must carry the markers {markers} in its French and "
            "English labels"
        ),
    },
    "validation.placeholder_not_unknown": {
        "fr": "Un libellé marqué {marker} exige le statut « unknown »",
        "en": "A label marked {marker} requires the status 'unknown'",
    },
    "validation.figure_value": {
        "fr": "« value » est obligatoire sauf au statut « unknown », et interdit à ce statut",
        "en": "'value' is required unless the status is 'unknown', and forbidden with it",
    },
    "validation.duplicate_code": {
        "fr": "Code {code} en double dans l'échelle",
        "en": "Duplicate code {code} in the scale",
    },
    "validation.duplicate_item": {
        "fr": "Question {name} en double",
        "en": "Duplicate item {name}",
    },
    "validation.unknown_scale": {
        "fr": "Échelle inconnue : {scale}",
        "en": "Unknown scale: {scale}",
    },
    "validation.scale_iff_select": {
        "fr": "Les questions select_one et select_multiple, et elles seules, ont une échelle",
        "en": "select_one and select_multiple items, and only they, need a scale",
    },
    "validation.several_ids": {
        "fr": "Plusieurs questions ont le rôle « id »",
        "en": "More than one item has the role 'id'",
    },
    "validation.margins_sum": {
        "fr": "Les cibles totalisent {total} et non 1",
        "en": "Targets sum to {total}, not 1",
    },
    "validation.margins_source": {
        "fr": "Source inconnue : {source}",
        "en": "Unknown source: {source}",
    },
    "validation.other": {"fr": "Valeur invalide ({problem})", "en": "Invalid value ({problem})"},
    # Survey designs, weighting and estimates.
    "survey.column_missing": {
        "fr": "Colonne {column!r} absente des données (colonnes : {available})",
        "en": "Column {column!r} is not in the data (columns: {available})",
    },
    "survey.weight_invalid": {
        "fr": "Poids manquant, négatif ou non numérique dans la colonne {column!r}",
        "en": "Missing, negative or non-numeric weight in column {column!r}",
    },
    "survey.design_value_missing": {
        "fr": "Valeur manquante dans la colonne de plan {column!r}",
        "en": "Missing value in design column {column!r}",
    },
    "survey.psu_not_nested": {
        "fr": (
            "L'unité primaire {psu!r} apparaît dans plusieurs strates : utilisez nest=True si "
            "les identifiants d'unités ne sont uniques qu'au sein d'une strate"
        ),
        "en": (
            "Primary unit {psu!r} appears in several strata: use nest=True if unit identifiers "
            "are only unique within a stratum"
        ),
    },
    "survey.lonely_psu": {
        "fr": (
            "La strate {stratum!r} ne compte qu'une unité primaire : sa variance est indéfinie "
            "(option lonely_psu='adjust' pour la centrer sur la moyenne générale, comme R)"
        ),
        "en": (
            "Stratum {stratum!r} has a single primary unit: its variance is undefined "
            "(option lonely_psu='adjust' centres it on the grand mean, as R does)"
        ),
    },
    "survey.fpc_invalid": {
        "fr": (
            "Correction de population finie invalide dans la strate {stratum!r} : {value} "
            "(fraction de sondage ≤ 1, ou taille de population ≥ nombre d'unités tirées, "
            "constante dans la strate)"
        ),
        "en": (
            "Invalid finite population correction in stratum {stratum!r}: {value} "
            "(a sampling fraction ≤ 1, or a population size ≥ the number of sampled units, "
            "constant within the stratum)"
        ),
    },
    "survey.margin_category_absent": {
        "fr": "La cible {variable}={category!r} ne correspond à aucun répondant de l'échantillon",
        "en": "Target {variable}={category!r} matches no respondent in the sample",
    },
    "survey.margin_category_untargeted": {
        "fr": "La catégorie {variable}={category!r} de l'échantillon n'a pas de cible",
        "en": "Sample category {variable}={category!r} has no target",
    },
    "survey.margin_value_missing": {
        "fr": "Valeur manquante dans la variable de redressement {variable!r}",
        "en": "Missing value in weighting variable {variable!r}",
    },
    "survey.margin_invalid": {
        "fr": "Cibles invalides pour {variable!r} : {problem}",
        "en": "Invalid targets for {variable!r}: {problem}",
    },
    "survey.rake_not_converged": {
        "fr": (
            "Le redressement n'a pas convergé en {iterations} itérations : écart maximal "
            "{gap:.3g} sur {variable}={category!r}"
        ),
        "en": (
            "Raking did not converge in {iterations} iterations: largest gap {gap:.3g} on "
            "{variable}={category!r}"
        ),
    },
    "survey.code_not_numeric": {
        "fr": "Le code {code!r} ne peut correspondre aux réponses numériques de {variable!r}",
        "en": "Code {code!r} cannot match the numeric answers of {variable!r}",
    },
    "survey.not_numeric": {
        "fr": "La variable {variable!r} n'est pas numérique (type {dtype})",
        "en": "Variable {variable!r} is not numeric (type {dtype})",
    },
    "survey.domain_unknown": {
        "fr": "Aucun domaine {domain!r} dans {variable!r} (domaines : {available})",
        "en": "No domain {domain!r} in {variable!r} (domains: {available})",
    },
    "survey.table_too_small": {
        "fr": "Le tableau {rows!r} × {columns!r} doit avoir au moins deux lignes et deux colonnes",
        "en": "The table {rows!r} × {columns!r} needs at least two rows and two columns",
    },
    "survey.file_format": {
        "fr": "Format de fichier non pris en charge ({suffix}) ; formats lus : {formats}",
        "en": "Unsupported file format ({suffix}); readable formats: {formats}",
    },
    "survey.output_format": {
        "fr": "Format de sortie non pris en charge ({suffix}) ; formats écrits : {formats}",
        "en": "Unsupported output format ({suffix}); writable formats: {formats}",
    },
    "survey.mapping_invalid": {
        "fr": "Fichier de correspondance invalide : {{colonne: question}} attendu",
        "en": "Invalid mapping file: {{column: item}} expected",
    },
    "survey.mapping_syntax": {
        "fr": "Fichier de correspondance illisible : {problem}",
        "en": "Unreadable mapping file: {problem}",
    },
    "survey.file_binary": {
        "fr": "Ce fichier n'est pas un texte CSV (octets nuls) : enregistrez-le en CSV UTF-8",
        "en": "This file is not CSV text (null bytes): save it as UTF-8 CSV",
    },
    "survey.file_empty": {"fr": "Fichier vide", "en": "Empty file"},
    "survey.file_no_rows": {
        "fr": "Aucune réponse : le fichier n'a qu'un en-tête",
        "en": "No responses: the file has a header only",
    },
    "survey.csv_ragged": {
        "fr": "Ligne de {found} champs alors que l'en-tête en a {expected}",
        "en": "Line with {found} fields where the header has {expected}",
    },
    "survey.sheet_missing": {
        "fr": "Feuille {sheet!r} absente du classeur (feuilles : {available})",
        "en": "Sheet {sheet!r} is not in the workbook (sheets: {available})",
    },
    "survey.header_blank": {
        "fr": "En-tête vide dans la colonne n° {position}",
        "en": "Blank header in column no. {position}",
    },
    "survey.file_missing": {
        "fr": "Fichier introuvable",
        "en": "File not found",
    },
    "survey.file_unreadable": {
        "fr": "Fichier illisible : {problem}",
        "en": "Unreadable file: {problem}",
    },
    "survey.margins_invalid": {
        "fr": "Fichier de cibles invalide : {problem}",
        "en": "Invalid targets file: {problem}",
    },
    "survey.empty_domain": {
        "fr": "Aucune réponse non manquante pour {variable!r} dans le domaine {domain!r}",
        "en": "No non-missing answer to {variable!r} in domain {domain!r}",
    },
    # Questionnaires.
    "questionnaire.file_missing": {
        "fr": "Questionnaire introuvable",
        "en": "Questionnaire not found",
    },
    "questionnaire.unknown": {
        "fr": (
            "Questionnaire inconnu : {name!r} (fournis : {available} ; ou un fichier YAML / "
            "XLSForm)"
        ),
        "en": "Unknown questionnaire: {name!r} (shipped: {available}; or a YAML / XLSForm file)",
    },
    "questionnaire.unknown_target": {
        "fr": "L'élément {target!r} n'existe pas dans le référentiel",
        "en": "Item {target!r} does not exist in the referential",
    },
    "questionnaire.output_format": {
        "fr": "Format de questionnaire non pris en charge ({suffix}) : .yaml ou .xlsx (XLSForm)",
        "en": "Unsupported questionnaire format ({suffix}): .yaml or .xlsx (XLSForm)",
    },
    "questionnaire.xlsform_unreadable": {
        "fr": "Classeur XLSForm illisible : {problem}",
        "en": "Unreadable XLSForm workbook: {problem}",
    },
    "questionnaire.xlsform_sheet_missing": {
        "fr": "Feuille {sheet!r} absente du XLSForm",
        "en": "Sheet {sheet!r} is missing from the XLSForm",
    },
    "questionnaire.xlsform_column_missing": {
        "fr": "Colonne {column!r} absente de la feuille {sheet!r}",
        "en": "Column {column!r} is missing from sheet {sheet!r}",
    },
    "questionnaire.xlsform_type": {
        "fr": "Type de question non pris en charge : {value!r}",
        "en": "Unsupported question type: {value!r}",
    },
    # Checking responses against a questionnaire.
    "validation_rows.column_unknown": {
        "fr": "La colonne {column!r} ne correspond à aucune question (associez-la ou ignorez-la "
        "dans un fichier de correspondance)",
        "en": "Column {column!r} matches no item (map it or ignore it in a mapping file)",
    },
    "validation_rows.column_missing": {
        "fr": "Colonne absente pour la question obligatoire {item!r}",
        "en": "No column for the required item {item!r}",
    },
    "validation_rows.mapping_unknown_item": {
        "fr": "Le fichier de correspondance vise une question inconnue : {item!r}",
        "en": "The mapping file points at an unknown item: {item!r}",
    },
    "validation_rows.tool_columns": {
        "fr": "Colonnes propres à l'outil de collecte ({tool}), laissées de côté : {columns}",
        "en": "Columns of the collection tool ({tool}), set aside: {columns}",
    },
    "validation_rows.code_outside_scale": {
        "fr": "Code hors de l'échelle (codes permis : {codes})",
        "en": "Code outside the scale (allowed codes: {codes})",
    },
    "validation_rows.not_binary": {
        "fr": "0 ou 1 attendu",
        "en": "0 or 1 expected",
    },
    "validation_rows.not_a_number": {"fr": "Nombre attendu", "en": "A number was expected"},
    "validation_rows.not_an_integer": {
        "fr": "Nombre entier attendu",
        "en": "A whole number was expected",
    },
    "validation_rows.weight_negative": {"fr": "Poids négatif", "en": "Negative weight"},
    "validation_rows.weight_missing": {"fr": "Poids manquant", "en": "Missing weight"},
    "validation_rows.id_missing": {
        "fr": "Identifiant de répondant manquant",
        "en": "Missing respondent identifier",
    },
    "validation_rows.duplicate_id": {
        "fr": "Identifiant de répondant en double",
        "en": "Duplicate respondent identifier",
    },
    "validation_rows.required": {
        "fr": "Réponse manquante à une question obligatoire",
        "en": "Missing answer to a required item",
    },
    "validation_rows.more": {
        "fr": "… et {count} autres lignes : {problem}",
        "en": "… and {count} more rows: {problem}",
    },
    "validation_rows.refused": {
        "fr": "Fichier refusé : {errors} erreur(s) (rien n'a été écrit)",
        "en": "File refused: {errors} error(s) (nothing was written)",
    },
    # Lookups.
    "lookup.unknown_framework": {
        "fr": "Cadre inconnu : {code!r}. Cadres disponibles : {available}",
        "en": "Unknown framework: {code!r}. Available frameworks: {available}",
    },
    "lookup.unknown_item": {
        "fr": "Élément inconnu : {code!r} dans le cadre {framework!r}",
        "en": "Unknown item: {code!r} in framework {framework!r}",
    },
    # Statuses of referential items, as shown to people (data files keep the codes).
    "status.notebook": {"fr": "carnet", "en": "notebook"},
    "status.confirmed": {"fr": "confirmé", "en": "confirmed"},
    "status.inferred": {"fr": "déduit", "en": "inferred"},
    "status.unknown": {"fr": "inconnu", "en": "unknown"},
    # Column headers of tables and CSV files.
    "column.framework": {"fr": "Cadre", "en": "Framework"},
    "column.title": {"fr": "Titre", "en": "Title"},
    "column.items": {"fr": "Éléments", "en": "Items"},
    "column.statuses": {"fr": "Statuts", "en": "Statuses"},
    "column.version": {"fr": "Version", "en": "Version"},
    "column.code": {"fr": "Code", "en": "Code"},
    "column.label": {"fr": "Libellé", "en": "Label"},
    "column.status": {"fr": "Statut", "en": "Status"},
    "column.definition": {"fr": "Définition", "en": "Definition"},
    "column.population": {"fr": "Population", "en": "Population"},
    "column.year": {"fr": "Année", "en": "Year"},
    "column.sample_size": {"fr": "Effectif", "en": "Sample size"},
    "column.value": {"fr": "Valeur (%)", "en": "Value (%)"},
    "column.practice_sheet": {"fr": "Fiche pratique", "en": "Practice sheet"},
    # Command line.
    "cli.error": {"fr": "Erreur", "en": "Error"},
    "cli.bad_number": {
        "fr": "Nombre attendu : {value!r}",
        "en": "A number was expected: {value!r}",
    },
    "cli.bad_bounds": {
        "fr": "Bornes attendues sous la forme BAS:HAUT (ex. 0,2:5) : {value!r}",
        "en": "Bounds are expected as LOW:HIGH (e.g. 0.2:5): {value!r}",
    },
    "cli.bad_share": {
        "fr": "Part attendue sous la forme VAR=CODE[,CODE…] (ex. q1=1,2) : {value!r}",
        "en": "A share is expected as VAR=CODE[,CODE…] (e.g. q1=1,2): {value!r}",
    },
    "cli.bad_ci": {
        "fr": "Intervalle inconnu {value!r} : logit, beta, wilson ou wald",
        "en": "Unknown interval {value!r}: logit, beta, wilson or wald",
    },
    "cli.bad_level": {
        "fr": "Le niveau de confiance doit être entre 0 et 1 (exclus) : {value}",
        "en": "The confidence level must be between 0 and 1 (exclusive): {value}",
    },
    "cli.nothing_to_estimate": {
        "fr": "Rien à estimer : indiquez au moins un --share, --mean ou --total",
        "en": "Nothing to estimate: give at least one --share, --mean or --total",
    },
    "cli.share_or_mean": {
        "fr": "Indiquez soit --share VAR=CODES, soit --mean VAR",
        "en": "Give either --share VAR=CODES or --mean VAR",
    },
    "cli.column_variable": {"fr": "variable", "en": "variable"},
    "cli.column_domain": {"fr": "domaine", "en": "domain"},
    "cli.column_estimate": {"fr": "estimation", "en": "estimate"},
    "cli.column_se": {"fr": "erreur type", "en": "std. error"},
    "cli.column_interval": {"fr": "intervalle {level:.0%}", "en": "{level:.0%} interval"},
    "cli.statistic_share": {"fr": "part", "en": "share"},
    "cli.statistic_mean": {"fr": "moyenne", "en": "mean"},
    "cli.statistic_total": {"fr": "total", "en": "total"},
    "cli.everyone": {"fr": "ensemble", "en": "everyone"},
    "cli.read_as": {
        "fr": "{file} : {rows} lignes lues ({how})",
        "en": "{file}: {rows} rows read ({how})",
    },
    "cli.import_written": {
        "fr": "{rows} réponses valides écrites dans {file}",
        "en": "{rows} valid responses written to {file}",
    },
    "cli.rejected_written": {
        "fr": "{rows} lignes rejetées écrites, avec leurs motifs, dans {file}",
        "en": "{rows} rejected rows written, with their reasons, to {file}",
    },
    "cli.valid": {
        "fr": "Conforme au questionnaire {questionnaire} ({version}) : {rows} réponses",
        "en": "Conforms to questionnaire {questionnaire} ({version}): {rows} responses",
    },
    "cli.column_severity": {"fr": "niveau", "en": "level"},
    "cli.column_place": {"fr": "ligne", "en": "line"},
    "cli.column_column": {"fr": "colonne", "en": "column"},
    "cli.column_value": {"fr": "valeur", "en": "value"},
    "cli.column_message": {"fr": "problème", "en": "problem"},
    "cli.severity_error": {"fr": "erreur", "en": "error"},
    "cli.severity_warning": {"fr": "avertissement", "en": "warning"},
    "cli.problems_title": {
        "fr": "Problèmes — {file}",
        "en": "Problems — {file}",
    },
    "cli.step_read": {"fr": "Lecture", "en": "Reading"},
    "cli.step_check": {"fr": "Vérification", "en": "Checking"},
    "cli.step_write": {"fr": "Écriture", "en": "Writing"},
    "cli.converted": {
        "fr": "Questionnaire {questionnaire} ({items} questions) écrit dans {file}",
        "en": "Questionnaire {questionnaire} ({items} items) written to {file}",
    },
    "cli.unweighted_rows": {
        "fr": "{rows} lignes dont le poids ({column}) est un code de valeur manquante ({codes}) "
        "sont laissées de côté",
        "en": "{rows} rows whose weight ({column}) is a missing-value code ({codes}) are left out",
    },
    "cli.estimates_title": {"fr": "Estimations — {file}", "en": "Estimates — {file}"},
    "cli.test_title": {
        "fr": "Test d'indépendance de Rao-Scott — {rows} × {columns}",
        "en": "Rao-Scott test of independence — {rows} × {columns}",
    },
    "cli.compare_title": {
        "fr": "Comparaison de {variable} selon {by}",
        "en": "Comparison of {variable} by {by}",
    },
    "cli.rake_diagnostics": {
        "fr": (
            "Redressement : {iterations} itérations, écart maximal {gap:.2g}, efficacité "
            "{efficiency:.1%}, n effectif {effective_n:.0f}, poids de {low:.4g} à {high:.4g} "
            "(rapport {ratio:.3g})"
        ),
        "en": (
            "Raking: {iterations} iterations, largest gap {gap:.2g}, efficiency {efficiency:.1%}, "
            "effective n {effective_n:.0f}, weights from {low:.4g} to {high:.4g} "
            "(ratio {ratio:.3g})"
        ),
    },
    "cli.written": {
        "fr": "{rows} lignes écrites dans {file}",
        "en": "{rows} rows written to {file}",
    },
    "cli.serve_unavailable": {
        "fr": "La plateforme web n'existe pas encore (elle arrive avec le ticket n° 6).",
        "en": "The web platform does not exist yet (it arrives with issue 6).",
    },
    "cli.demo_placeholder": {
        "fr": (
            "L'étude de démonstration arrive avec le ticket n° 5. En attendant, voici le "
            "référentiel chargé : {frameworks} cadres, {items} éléments (version {version})."
        ),
        "en": (
            "The demonstration study arrives with issue 5. Meanwhile, here is the loaded "
            "referential: {frameworks} frameworks, {items} items (version {version})."
        ),
    },
}


def render(key: str, lang: Lang, **params: Any) -> str:
    """Return the message ``key`` in ``lang`` with its placeholders filled.

    Examples
    --------
    >>> render("location.line", "fr", value=3)
    'ligne 3'
    """
    return MESSAGES[key][lang].format(**params)


def missing_translations() -> list[str]:
    """Return the keys that lack a non-empty text in one of the languages (should be none)."""
    return [
        key
        for key, texts in MESSAGES.items()
        if any(not texts.get(lang, "").strip() for lang in LANGUAGES)
    ]
