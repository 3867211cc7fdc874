using Folios.Analyzers.Engine;
using Microsoft.CodeAnalysis.CSharp;

namespace Folios.Analyzers.Tests;

/// <summary>The per-compilation set-up runs once even when the driver's threads all ask for it at the same moment.</summary>
public class PerCompilationTests
{
    [Fact]
    public async Task Threads_that_ask_at_once_share_one_value_made_once()
    {
        int made = 0;
        using var bothAsking = new Barrier(2);
        var values = new PerCompilation<object>(_ =>
        {
            Interlocked.Increment(ref made);
            Thread.Sleep(200); // long enough for the other thread to ask while this one makes the value
            return new object();
        });
        var compilation = CSharpCompilation.Create("Shared");
        var askers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            bothAsking.SignalAndWait();
            return values.Of(compilation);
        })).ToArray();
        var answers = await Task.WhenAll(askers);
        Assert.Equal(1, made);
        Assert.Same(answers[0], answers[1]);
        Assert.Same(answers[0], values.Of(compilation));
        Assert.NotSame(answers[0], values.Of(CSharpCompilation.Create("Other")));
    }
}
