"""The recommender's pure core: items and their fit, related products, the model, metrics.

No Django here (an import contract checks): the task and the offline bench run this code.
"""
