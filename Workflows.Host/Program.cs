using Workflows.Host.Answers;
using Workflows.Host.Calendar;
using Workflows.Host.Demo;
using Workflows.Host.Engine;
using Workflows.Host.Hosting;
using Workflows.Host.Mail;
using Workflows.Host.Mail.Inbox;
using Workflows.Host.Operations;
using Workflows.Host.Parties;
using Workflows.Host.Persistence;
using Workflows.Host.Scheduling;
using Workflows.Host.Security;

var builder = WebApplication.CreateBuilder(DemoSetup.WithDemoSwitch(args));
builder.WebHost.UseUrls(builder.Configuration["urls"] ?? "http://127.0.0.1:5080");
builder.AddProcesFlowWeb();
builder.AddProcesFlowSecurity();
builder.AddPersistence();
builder.AddDataProtectionInDatabase();
builder.AddDanishCalendar();
builder.AddPartyDirectory();
builder.AddWorkflowEngine();
builder.AddMail();
builder.AddScheduling();
builder.AddAnswers();
builder.AddAnswerInbox();
builder.AddDemo();
builder.AddOperations();

var app = builder.Build();
await app.InitializeWorkflowEngineAsync();
await app.SeedDemoAsync();
app.MapProcesFlow();
await app.UseSchedulingAsync();
await app.RunAsync();

/// <summary>Entry point, visible to <c>WebApplicationFactory</c> in the tests.</summary>
public partial class Program;
