namespace Workflows.Definitions.Activities;

/// <summary>
/// One step of a flowchart. The engine hands it a context and gets a result back; an activity never
/// resolves services, sleeps or reads the system clock (see <see cref="ActivityContext"/>).
/// </summary>
/// <remarks>
/// An activity that waits is executed again when one of its bookmarks is resumed, with
/// <see cref="ActivityContext.Resumption"/> set; it then completes or waits again.
/// </remarks>
public interface IActivity
{
    ValueTask<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken);
}
