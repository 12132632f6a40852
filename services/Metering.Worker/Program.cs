using Metering.Hosting;
using Metering.Worker;

var builder = WebApplication.CreateBuilder(args);
builder.AddMeteringDefaults();
builder.AddMeteringLedger();
builder.AddMeteringWorker();

var app = builder.Build();
app.MapMeteringHealth();
await app.MigrateIfConfiguredAsync();
await app.RunAsync();
