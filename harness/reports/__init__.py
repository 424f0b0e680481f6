"""Reports: each module renders the same ``Result``/grade data for one audience."""
