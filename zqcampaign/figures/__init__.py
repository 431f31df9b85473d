"""Layer ``figures``: pure functions on projects, snapshots and configuration.

One module per figure (completion, flags, targets, investment, activity, changes,
comparison, forecast, problems, ranking, supervision calendar); ``_common`` holds the
helpers they share; ``methods`` wraps them as :class:`~zqcampaign.campaign.Campaign`
methods. May import ``model`` and lower layers, never outputs or charts.
"""
