"""The district monitoring domain: calendar, catalog, store, rankings and charts. Knows no screen."""
