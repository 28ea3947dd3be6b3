"""Date formats that differ from Django's own, looked up through FORMAT_MODULE_PATH.

Django's es_MX formats use "F", whose Spanish translations are capitalised ("Diciembre"): right
for a month standing alone, wrong inside a date, where Spanish writes "21 de diciembre". "E"
is Django's alternative (genitive) month name, which its Spanish catalogue gives in lower case.
"""
