"""RSS 2.0 and Atom feeds of published threads: the latest, the featured practices, and per value, sector and
agency. ``builder`` writes the XML (ElementTree, no string building), ``service`` gathers the items,
``routes`` serves them."""
