"""The user's own records: the CSV files the Bitfinex Reports tool exports, read, stored and checked."""
