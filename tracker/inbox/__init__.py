"""The evidence inbox: the tracker watches feeds and articles for the claims it holds,
suggests what it finds, and a person decides (`tracker watch`, `tracker inbox`)."""
