"""Related products and "recommended for you": trained offline, served from tables.

core/ is plain Python (no Django), shared by the periodic task and bench/recommend_bench.py;
build.py reads the database into core's types and writes RelatedProduct and
RecommendationRow; the pages only read those tables.
"""
