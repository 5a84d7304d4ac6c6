"""The help assistant: answers from the help centre's articles in English, Hindi and Tamil,
with emergencies, medical questions and requests for a person handled before retrieval,
and a hand-over to the support inbox. The pure core (text, passages, index, safety,
replies, engine) has no Django; views, forms, conversations, models and tasks are the shell.

What was measured with bench/assistant_eval.py, and why each part is there: docs/assistant.md.
In short (top-3 section en/hi/ta 98/96/93 %; every medical and emergency question of the
set handled; 3.8 % of in-scope questions handed over; p95 under 1 ms):

    variant                          top-3 en/hi/ta        in-scope handed over
    all features                     98.1/96.2/93.3 %      3.8 %
    without keywords                 90.5/86.7/81.0 %      8.6 %
    without title and heading        97.1/93.3/90.5 %      3.8 %
    without the Indic prefix stem    98.1/96.2/89.5 %      5.1 %
    without the page boost           97.1/96.2/92.4 %      3.8 %
    without English fusion (hi, ta)  98.1/90.5/86.7 %      7.3 %
"""
