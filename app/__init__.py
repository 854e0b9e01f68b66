"""Opslagstavlen: a plain-language catalogue of municipal and civil-society offers."""
