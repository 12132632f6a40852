using Metering.Api;
using Metering.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddMeteringDefaults();
builder.AddMeteringLedger();
builder.AddMeteringApi();

var app = builder.Build();
app.UseMeteringApi();
app.MapMeteringHealth();
app.MapLedgerApi();
await app.MigrateIfConfiguredAsync();
await app.RunAsync();
