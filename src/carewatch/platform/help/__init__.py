"""The help centre: articles written as files (content/<lang>/<service>/<slug>.md), their
pages and their search. The loader and the tokeniser are plain Python; views are a shell."""
