"""The help assistant: answers from the help centre's articles in English, Hindi and Tamil,
with emergencies, medical questions and requests for a person handled before retrieval,
and a hand-over to the support inbox. The pure core (text, passages, index, safety,
replies, engine) has no Django; views, forms, conversations, models and tasks are the shell.

What was measured with bench/assistant_eval.py, and why each part is there: docs/assistant.md.
In short (top-3 section en/hi/ta 98/96/93 %; every medical and emergency question of the
set handled; 3.8 % of in-scope questions handed over; p95 under 2 ms):

    variant                          top-1 en/hi/ta     top-3 en/hi/ta     handed over
    all features                     89.5/87.6/80.0 %   98.1/96.2/93.3 %   3.8 %
    without keywords                 76.2/72.4/66.7 %   91.4/86.7/81.0 %   7.9 %
    without title and heading        87.6/82.9/79.0 %   98.1/94.3/92.4 %   3.8 %
    without the Indic prefix stem    89.5/87.6/77.1 %   98.1/96.2/89.5 %   5.1 %
    without the page boost           86.7/84.8/77.1 %   97.1/96.2/92.4 %   3.8 %
    without English fusion (hi, ta)  89.5/80.0/71.4 %   98.1/90.5/86.7 %   7.3 %
"""
