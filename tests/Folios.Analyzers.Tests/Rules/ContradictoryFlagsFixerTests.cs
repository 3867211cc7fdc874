using Verify = Folios.Analyzers.Tests.Verifier<Folios.Analyzers.Rules.ContradictoryFlagsAnalyzer, Folios.CodeFixes.Rules.ContradictoryFlagsFixer>;

namespace Folios.Analyzers.Tests.Rules;

public class ContradictoryFlagsFixerTests
{
    private const string KeepNoFail = "FOLIO005.KeepNoFail";
    private const string RemoveNoFail = "FOLIO005.RemoveNoFail";

    [Theory]
    [InlineData(KeepNoFail, "AllocFlags.NoFail | AllocFlags.NoWait", "AllocFlags.NoFail")]
    [InlineData(KeepNoFail, "AllocFlags.NoWait | AllocFlags.NoFail", "AllocFlags.NoFail")]
    [InlineData(KeepNoFail, "AllocFlags.NoFail | AllocFlags.NoWait | AllocFlags.NoRetry | AllocFlags.Zero", "AllocFlags.NoFail | AllocFlags.Zero")]
    [InlineData(KeepNoFail, "(AllocFlags.NoFail | AllocFlags.NoRetry) | AllocFlags.Zero", "(AllocFlags.NoFail) | AllocFlags.Zero")]
    [InlineData(RemoveNoFail, "AllocFlags.NoFail | AllocFlags.NoRetry", "AllocFlags.NoRetry")]
    [InlineData(RemoveNoFail, "AllocFlags.Zero | AllocFlags.NoFail | AllocFlags.NoWait", "AllocFlags.Zero | AllocFlags.NoWait")]
    public Task The_chosen_side_of_the_contradiction_is_removed(string key, string flags, string expected) => Verify.FixWith(key,
        Snippets.InMethod($"allocator.Allocate(0, {{|FOLIO005:{flags}|}});"),
        Snippets.InMethod($"allocator.Allocate(0, {expected});"));

    [Theory]
    [InlineData(KeepNoFail, "var flags = AllocFlags.NoFail | AllocFlags.NoWait; allocator.Allocate(0, {|FOLIO005:flags|});")]
    [InlineData(RemoveNoFail, "allocator.Allocate(0, {|FOLIO005:(AllocFlags)17|});")]
    [InlineData(KeepNoFail, "allocator.Allocate(0, {|FOLIO005:AllocFlags.NoFail | (n > 0 ? AllocFlags.NoRetry : AllocFlags.None)|});")]
    [InlineData(RemoveNoFail, "allocator.Allocate(0, {|FOLIO005:AllocFlags.NoFail | (n > 0 ? AllocFlags.NoRetry : AllocFlags.None)|});")]
    [InlineData(RemoveNoFail, "allocator.Allocate(0, {|FOLIO005:n > 0 ? AllocFlags.NoFail | AllocFlags.NoWait : AllocFlags.NoFail|});")]
    public Task No_fix_where_the_flags_are_not_written_in_the_call_or_a_condition_chooses_them(string key, string body) =>
        Verify.FixWith(key, Snippets.InMethod(body), Snippets.InMethod(body));

    [Fact]
    public Task Fix_all_reaches_every_document_of_the_solution()
    {
        var test = Verify.Create(Snippets.InMethod("allocator.Allocate(0, {|FOLIO005:AllocFlags.NoFail | AllocFlags.NoWait|}); allocator.AllocatePages(pages, {|FOLIO005:AllocFlags.NoRetry | AllocFlags.NoFail|});"), null, true);
        test.TestState.Sources.Add(("Other.cs", Snippets.Usings + "class D { void M(PageAllocator a) { a.Allocate(1, {|FOLIO005:AllocFlags.NoFail | AllocFlags.RetryMayFail|}); } }"));
        test.FixedState.Sources.Add(Snippets.InMethod("allocator.Allocate(0, AllocFlags.NoFail); allocator.AllocatePages(pages, AllocFlags.NoFail);"));
        test.FixedState.Sources.Add(("Other.cs", Snippets.Usings + "class D { void M(PageAllocator a) { a.Allocate(1, AllocFlags.NoFail); } }"));
        test.CodeActionEquivalenceKey = KeepNoFail;
        return test.RunAsync();
    }
}
