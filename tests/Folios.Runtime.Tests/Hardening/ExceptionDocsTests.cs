using System.Xml.Linq;

namespace Folios.Tests.Hardening;

/// <summary>Every public method and constructor documents the exceptions it throws (the IDE shows them at the call).
/// The few that throw nothing are named here, each with its reason.</summary>
public class ExceptionDocsTests
{
    private static readonly Dictionary<string, string> ThrowNothing = new()
    {
        ["Equals"] = "value equality",
        ["GetHashCode"] = "value equality",
        ["ToString"] = "formatting",
        ["op_Equality"] = "value equality",
        ["op_Inequality"] = "value equality",
        ["Dispose"] = "idempotent; disposal never throws (DisposeNeverThrowsTests)",
        ["UnmapAliases"] = "releases what is due; nothing to refuse",
        ["M:Folios.AllocatorStatistics.Failures(System.Int32,Folios.AllocationFailureReason)"] = "0 for an unknown order or reason",
        ["M:Folios.PageAllocationException.#ctor(System.Int32,Folios.AllocFlags,Folios.AllocationFailureReason)"] = "describes whatever it is given",
        ["M:Folios.CheckedArrayPool`1.#ctor(System.Buffers.ArrayPool{`0},System.Boolean)"] = "wraps whatever pool it is given",
    };

    [Fact]
    public void Every_public_method_documents_its_exceptions()
    {
        var docs = XDocument.Load(Path.ChangeExtension(typeof(PageAllocator).Assembly.Location, ".xml"));
        var undocumented = docs.Descendants("member")
            .Select(member => (Name: (string)member.Attribute("name")!, Member: member))
            .Where(m => m.Name.StartsWith("M:Folios.", StringComparison.Ordinal) && IsPublic(m.Name))
            .Where(m => !ThrowNothing.ContainsKey(MethodName(m.Name)) && !ThrowNothing.ContainsKey(m.Name))
            .Where(m => !m.Member.Elements("exception").Any() && !m.Member.Elements("inheritdoc").Any())
            .Select(m => m.Name)
            .ToList();
        Assert.True(undocumented.Count == 0, "No <exception> on:\n" + string.Join("\n", undocumented));
    }

    /// <summary>The method's name in a documentation id such as <c>M:Folios.ExtentBuffer.Read(System.Int32,...)</c>.</summary>
    private static string MethodName(string id)
    {
        string head = id.Split('(')[0];
        string name = head[(head.LastIndexOf('.') + 1)..];
        return name.Split('`')[0];
    }

    private static int ParameterCount(string id) =>
        !id.Contains('(') || id.EndsWith("()", StringComparison.Ordinal) ? 0 : id.Split('(')[1].Split(',').Length;

    private static bool IsPublic(string id)
    {
        string head = id[2..].Split('(')[0];
        string typeName = head[..head.LastIndexOf('.')];
        var type = typeof(PageAllocator).Assembly.GetType(typeName);
        if (type is null || !type.IsPublic)
            return false;
        string method = head[(head.LastIndexOf('.') + 1)..].Split('`')[0];
        if (method == "#ctor")
            return type.GetConstructors().Any(c => c.GetParameters().Length == ParameterCount(id));
        return type.GetMethods().Any(m => m.Name == method && m.DeclaringType == type);
    }
}
