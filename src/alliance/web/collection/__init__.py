"""Collecting answers on the platform: a questionnaire as a web form feeding a new study wave."""
