using Lifetime = Folios.Analyzers.Tests.Verifier<Folios.Analyzers.Rules.MappingLifetimeAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;
using Misuse = Folios.Analyzers.Tests.Verifier<Folios.Analyzers.Rules.UnmapMisuseAnalyzer, Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace Folios.Analyzers.Tests;

/// <summary>
/// A lambda or local function declared inside a region of its enclosing method (foreach, using, lock, try, catch,
/// finally) has a graph whose root chains into the method's regions. The flow rules once walked into those and
/// indexed the nested graph's blocks with the method's numbers (AD0001).
/// </summary>
public class NestedGraphRegionTests
{
    private const string Members = "static void Work() { }\nstatic ExtentBuffer[] Buffers() => new ExtentBuffer[0];\n";

    public static TheoryData<string, string> Regions()
    {
        string[] regions =
        [
            "foreach (var eb in Buffers()) { BODY }",
            "using (var outer = buffer.Map()) { BODY }",
            "using var outer = buffer.Map(); { BODY }",
            "lock (pages) { BODY }",
            "try { BODY } finally { Work(); }",
            "try { Work(); } catch (Exception) { BODY }",
            "try { Work(); } finally { BODY }",
            "try { try { BODY } catch { throw; } } finally { Work(); }",
        ];
        string[] nested =
        [
            "void Local() { NESTED } Local();",
            "Action a = () => { NESTED }; a();",
        ];
        var data = new TheoryData<string, string>();
        foreach (var region in regions)
        {
            foreach (var function in nested)
                data.Add(region, function);
        }
        return data;
    }

    private static string Body(string region, string nested, string mapping) =>
        Snippets.InMethod(region.Replace("BODY", nested.Replace("NESTED", mapping)), Members);

    [Theory]
    [MemberData(nameof(Regions))]
    public async Task Mapping_rules_stay_silent_on_a_correct_nested_mapping(string region, string nested)
    {
        string body = Body(region, nested, "var m = buffer.Map(); try { Work(); } finally { m.Unmap(); }");
        await Lifetime.Analyze(body);
        await Misuse.Analyze(body);
    }

    [Theory]
    [MemberData(nameof(Regions))]
    public Task A_nested_leak_is_reported(string region, string nested) =>
        Lifetime.Analyze(Body(region, nested, "var m = {|FOLIO003:buffer.Map()|}; Work(); m.Unmap();"));

    [Theory]
    [MemberData(nameof(Regions))]
    public Task A_nested_second_unmap_is_reported(string region, string nested) =>
        Misuse.Analyze(Body(region, nested, "var m = buffer.Map(); try { m.Unmap(); } finally { {|FOLIO004:m.Unmap()|}; }"));
}
