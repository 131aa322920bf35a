"""Territory pages: a commune's, EPCI's, department's or region's actors, alliances and results."""
