"""Territories: the official geography, and the actors and alliances of a territory.

Plain Python, no Django: the web platform maps its rows to these.
"""
