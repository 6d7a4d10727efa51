using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Benchmarks.Support;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace Workflows.Benchmarks.Scenarios;

/// <summary>
/// The peer for the fan-out: Workflow Core 3.22.0 in this process, a workflow of 29 parallel branches that each make a
/// "party task" step and then wait for that party's event. Workflow Core's SQLite provider is not served here, so it
/// runs on its default in-memory persistence (nothing durable: it has the easier job).
/// </summary>
public static class WorkflowCoreFanout
{
    private const int Parties = 29;
    private static int partyTasks;

    public static async Task<double> PartyTasksPerSecondAsync(int hearings)
    {
        partyTasks = 0;
        var services = new ServiceCollection().AddLogging().AddWorkflow().BuildServiceProvider();
        await using var _ = services;
        var host = services.GetRequiredService<IWorkflowHost>();
        host.RegisterWorkflow<HearingWorkflow, HearingData>();
        host.Start();
        try
        {
            var elapsed = Stopwatch.StartNew();
            string last = "";
            for (var i = 0; i < hearings; i++)
            {
                last = $"hearing-{i}";
                await host.StartWorkflow(HearingWorkflow.Name, 1, new HearingData { Key = last });
            }
            var persistence = services.GetRequiredService<IPersistenceProvider>();
            var target = hearings * Parties;
            while (Volatile.Read(ref partyTasks) < target || !await AllWaitingAsync(persistence, last))
            {
                Progress.Report($"{Volatile.Read(ref partyTasks)}/{target} party tasks");
                if (elapsed.Elapsed > TimeSpan.FromMinutes(10))
                {
                    throw new TimeoutException("Workflow Core did not reach every wait within 10 minutes.");
                }
                await Task.Delay(20);
            }
            return target / elapsed.Elapsed.TotalSeconds;
        }
        finally
        {
            host.Stop();
        }
    }

    /// <summary>The last hearing started has a subscription for each of its parties' events.</summary>
    private static async Task<bool> AllWaitingAsync(IPersistenceProvider persistence, string key)
    {
        var asOf = WallClock.Now.ToDateTimeUtc().AddMinutes(1);
        for (var party = 0; party < Parties; party++)
        {
            if (!(await persistence.GetSubscriptions("answer", $"{key}/{party}", asOf)).Any())
            {
                return false;
            }
        }
        return true;
    }

    public sealed class HearingData
    {
        public string Key { get; set; } = "";
    }

    public sealed class CreatePartyTask : StepBody
    {
        public override ExecutionResult Run(IStepExecutionContext context)
        {
            Interlocked.Increment(ref partyTasks);
            return ExecutionResult.Next();
        }
    }

    public sealed class HearingWorkflow : IWorkflow<HearingData>
    {
        public const string Name = "hearing-fanout";

        public string Id => Name;

        public int Version => 1;

        public void Build(IWorkflowBuilder<HearingData> builder)
        {
            var parallel = builder.StartWith(_ => ExecutionResult.Next()).Parallel();
            for (var i = 0; i < Parties; i++)
            {
                var party = i;
                parallel = parallel.Do(branch => branch.StartWith<CreatePartyTask>().WaitFor("answer", data => data.Key + "/" + party));
            }
            parallel.Join().Then(_ => ExecutionResult.Next());
        }
    }
}
