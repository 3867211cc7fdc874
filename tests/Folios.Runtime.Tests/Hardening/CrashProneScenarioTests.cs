namespace Folios.Tests.Hardening;

/// <summary>The scenarios that once killed the process, each in a child process with a time limit.</summary>
public class CrashProneScenarioTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    [Fact]
    public void Every_member_of_buffers_folios_and_views_throws_ObjectDisposedException_after_the_allocator_is_disposed() =>
        ChildProcess.Run(Limit, "use-after-dispose");

    [Fact]
    public void Zeroing_allocations_racing_Dispose_never_fault() => ChildProcess.Run(Limit, "zero-race", "300");

    [Fact]
    public void Buffer_folio_and_view_access_racing_Dispose_never_faults() => ChildProcess.Run(Limit, "access-race", "200");

    [Fact]
    public void Seventy_thousand_failing_Map_calls_leave_no_address_range_behind() => ChildProcess.Run(Limit, "map-failures", "70000");

    /// <summary>The CI slice: 2, 4 and 8 threads for 5 s each. Longer: <c>dotnet Folios.Runtime.Tests.dll stress 8 600</c>.</summary>
    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public void Stress_with_tagged_pages_ends_with_exact_accounting(int threads) =>
        Assert.Contains($"stress: {threads} threads", ChildProcess.Run(Limit, "stress", threads.ToString(), "5"));

    [Fact]
    public void An_unknown_scenario_is_a_named_failure()
    {
        var failure = Assert.ThrowsAny<Exception>(() => ChildProcess.Run(Limit, "no-such-scenario"));
        Assert.Contains("no-such-scenario", failure.Message);
        Assert.Contains("exit code 2", failure.Message);
    }
}
