namespace Metering.Api.Endpoints;

public sealed record WhatIfRequest(string? Cycle, string? As, string? From);
