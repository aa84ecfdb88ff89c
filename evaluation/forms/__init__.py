"""Forms of the evaluation engine, one module per area: builder, campaigns, answering."""
