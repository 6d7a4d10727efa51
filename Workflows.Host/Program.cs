using Workflows.Host.Api;
using Workflows.Host.Calendar;
using Workflows.Host.Parties;

var builder = WebApplication.CreateBuilder(args);
builder.AddDanishCalendar();
builder.AddPartyDirectory();

var app = builder.Build();
app.MapGet("/health", () => TypedResults.Ok());
var api = app.MapGroup("/api");
api.MapCalendarApi();
api.MapPartiesApi();
app.Run();

/// <summary>Entry point, visible to <c>WebApplicationFactory</c> in the tests.</summary>
public partial class Program;
