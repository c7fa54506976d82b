"""The service catalogue: services of every agency, grouped by life event and topic; the service
finder; guided navigators. Content is in every language of the site."""
