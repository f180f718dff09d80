"""`make bench` / `python -m bench`: city-scale benchmark of the household pages and the cost of encryption."""
