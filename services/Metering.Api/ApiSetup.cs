using System.Text.Json.Serialization;
using MassTransit;
using Metering.Contracts;
using Metering.Api.Access;
using Metering.Api.Endpoints;
using Metering.Api.Messaging;
using Metering.Hosting;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.OpenApi;
using Scalar.AspNetCore;
using Serilog;

namespace Metering.Api;

public static class ApiSetup
{
    /// <summary>
    /// API keys, roles, problem details, JSON, OpenAPI, and the bus: the API announces budget changes, and asks the
    /// metering worker — the one writer of the ledger — for re-drives and reversals.
    /// </summary>
    public static WebApplicationBuilder AddMeteringApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ApiOptions>().BindConfiguration("Api");
        builder.Services.AddAuthentication(ApiKeyAuthentication.SchemeName).AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        builder.Services.AddAuthorization(Policies.Add);
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
            context.ProblemDetails.Extensions["traceId"] = context.HttpContext.TraceIdentifier);
        builder.Services.AddExceptionHandler<BadRequestHandler>();
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.Configure<JsonOptions>(options => options.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo { Title = "Metering ledger API", Version = "v1", Description = "Usage metering for LLM APIs: cycles, ledger, invoices, budgets, throttles (SPEC §9). Authenticate with Authorization: Bearer <API key>." };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme { Type = SecuritySchemeType.Http, Scheme = "bearer", Description = "An API key from `metering keys create` or Api:AdminKey." };
            document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] }];
            return Task.CompletedTask;
        }));
        builder.Services.AddOptions<Ingestion.IngestOptions>().BindConfiguration("Ingest");
        builder.Services.AddSingleton<Ingestion.IngestPublisher>();
        builder.Services.AddSingleton<Ingestion.IngestMetrics>();
        builder.Services.AddSingleton<Ingestion.EventIngestion>();
        builder.Services.AddSingleton<Ingestion.TraceIngestion>();
        builder.Services.AddSingleton<BudgetNotifier>();
        builder.Services.AddSingleton<ThrottleStates>();
        builder.Services.AddSingleton<Queries.TenantSettingsCache>();
        builder.Services.AddSingleton<Queries.CycleSummaryQuery>();
        builder.Services.AddSingleton<Queries.LedgerPageQuery>();
        builder.Services.AddSingleton<Dashboard.DashboardQuery>();
        builder.AddMeteringWebhooks();
        builder.AddMeteringBus(
            (bus, _) =>
            {
                bus.AddRequestClient<RedriveRejection>(RequestTimeout.After(s: 30));
                bus.AddRequestClient<ReverseEntry>(RequestTimeout.After(s: 30));
            },
            (_, _) => { });
        return builder;
    }

    public static WebApplication UseMeteringApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseSerilogRequestLogging();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    /// <summary>Every endpoint of SPEC §9 under <c>/v1</c>, the OpenAPI document, the reference page and the dashboard.</summary>
    public static WebApplication MapLedgerApi(this WebApplication app)
    {
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference(options => options.WithTitle("Metering ledger API")).AllowAnonymous();

        var v1 = app.MapGroup("/v1").WithTags("v1");
        var tenant = v1.MapGroup("/tenants/{tenantId}").AddEndpointFilter(TenantAccess).WithTags("tenants");
        TenantEndpoints.Map(tenant);
        ScopedBudgetEndpoints.Map(tenant);
        CycleEndpoints.Map(tenant);
        LedgerEndpoints.Map(tenant);
        WhatIfEndpoints.Map(tenant);
        UsageEndpoints.Map(v1);
        Ingestion.IngestEndpoints.Map(v1);
        CatalogEndpoints.Map(v1);
        RejectionEndpoints.Map(v1);
        ThrottleEndpoints.Map(v1);
        Webhooks.WebhookEndpoints.Map(v1);
        Dashboard.DashboardEndpoints.MapData(v1, tenant);
        Dashboard.DashboardEndpoints.MapPage(app);
        return app;
    }

    /// <summary>A well-formed tenant id that the caller may read: 400 otherwise, or 403 for another tenant's key.</summary>
    private static async ValueTask<object?> TenantAccess(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var tenantId = context.HttpContext.GetRouteValue("tenantId") as string ?? string.Empty;
        if (Inputs.TenantId(tenantId) is { } invalid)
        {
            return invalid;
        }

        return Caller.From(context.HttpContext.User).CanRead(tenantId)
            ? await next(context)
            : Problems.Forbidden("this API key may read only its own tenant");
    }

    /// <summary>Bad bodies and parameters become 400 problem details that say what was wrong; anything else a 500 without internals.</summary>
    private sealed class BadRequestHandler(IProblemDetailsService problems) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
        {
            if (exception is not BadHttpRequestException bad)
            {
                return false;
            }

            http.Response.StatusCode = bad.StatusCode;
            var detail = bad.InnerException is { } inner ? $"{bad.Message} {inner.Message}" : bad.Message;
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                Exception = exception,
                ProblemDetails = { Status = bad.StatusCode, Title = "Bad Request", Detail = detail },
            });
        }
    }
}
