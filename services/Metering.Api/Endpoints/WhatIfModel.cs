namespace Metering.Api.Endpoints;

public sealed record WhatIfModel(string Provider, string Model, long Events, string CurrentCost, string RepricedCost);
