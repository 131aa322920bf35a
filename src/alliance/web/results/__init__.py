"""Study results: the weighted estimates of each population and wave, as published."""
