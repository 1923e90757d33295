"""What supportcli asks the exchange's public endpoints, only when the user asks.

- `status`: is the platform operative or in maintenance (nothing about the user is sent);
- `market`: was a price inside a pair's 1-minute range (only the pair and a time window are sent);
- `helpcenter`: a copy of the public help-center articles for the local FAQ index (nothing sent);
- `notice`: the one-time privacy notice; `age`: "synced 12 days ago".

Each takes an `HttpClient` (which carries the user's network policy) and the pack's `[online]`
endpoints as values; none reads settings or the clock itself.
"""
