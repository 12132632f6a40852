using Metering.Hosting;
using Metering.Samples.Gateway;

var builder = WebApplication.CreateBuilder(args);
builder.AddMeteringDefaults();
builder.AddGateway();

var app = builder.Build();
app.MapMeteringHealth();
app.MapGatewayStatus();
await app.RunAsync();
