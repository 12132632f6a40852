using Metering.Budget;
using Metering.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddMeteringDefaults();
builder.AddMeteringLedger();
builder.AddBudgetSaga();
builder.AddWebhookAlerts();

var app = builder.Build();
app.MapMeteringHealth();
await app.MigrateIfConfiguredAsync();
await app.RunAsync();
