using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Folios.Analyzers.Analysis;

/// <summary>
/// The cheap first question for every body: does its text name anything of Folios? Names are the runtime's types
/// and the members that allocate, map or hand out page memory, and the methods of this compilation that carry the
/// contract attributes or take AllocFlags. A body that names none of them is skipped before any operation walk,
/// callback or graph: most code of a project that references Folios does not use it. Built once per compilation.
/// A wrapper from another assembly, called through <c>var</c> in a body that names nothing else of Folios, is the
/// one shape this misses.
/// </summary>
internal sealed class Relevance
{
    private static readonly ConditionalWeakTable<Compilation, Relevance> Cache = new();
    private static readonly string[] ContractMarkers = ["MapsPages", "UnmapsPages", "RawPageAccess", "PageOrder", "AllocationSize", "AllocFlags"];

    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly HashSet<string> _offsetHelpers = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<SyntaxNode, bool> _answers = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<SyntaxNode, bool> _offsetAnswers = new();
    private readonly ConditionalWeakTable<SyntaxTree, string> _texts = new();
    private readonly Dictionary<int, string[]> _namesByLength;
    private readonly Dictionary<int, string[]> _offsetHelpersByLength;

    private Relevance(Compilation compilation, FoliosTypes types)
    {
        if (types.PageAllocator?.ContainingNamespace is { } runtime)
        {
            foreach (var type in runtime.GetTypeMembers())
            {
                _names.Add(type.Name);
                foreach (var member in type.GetMembers())
                {
                    if (member.DeclaredAccessibility == Accessibility.Public && member.Name != "Dispose" && IsEntryPoint(member, types))
                        _names.Add(member.Name);
                    if (member is IMethodSymbol { DeclaredAccessibility: Accessibility.Public } helper && SymbolEqualityComparer.Default.Equals(type, types.ExtentBuffer)
                        && helper.Parameters.Any(p => PageGeometry.IsOffsetParameter(p.Name)))
                        _offsetHelpers.Add(helper.Name);
                }
            }
        }
        // The user's wrappers: found from each marker's place in the text, not by walking every tree.
        foreach (var tree in compilation.SyntaxTrees)
        {
            string text = TextOf(tree);
            foreach (string marker in ContractMarkers)
            {
                for (int at = text.IndexOf(marker, StringComparison.Ordinal); at >= 0; at = text.IndexOf(marker, at + marker.Length, StringComparison.Ordinal))
                {
                    var token = tree.GetRoot().FindToken(at);
                    if (token.IsKind(SyntaxKind.IdentifierToken) && token.SpanStart == at
                        && token.Parent?.FirstAncestorOrSelf<MethodDeclarationSyntax>() is { } method
                        && (method.ParameterList.Span.Contains(at) || method.AttributeLists.Any(list => list.Span.Contains(at))))
                        _names.Add(method.Identifier.ValueText);
                }
            }
        }
        _namesByLength = ByLength(_names);
        _offsetHelpersByLength = ByLength(_offsetHelpers);
    }

    public static Relevance Of(Compilation compilation, FoliosTypes types) => Cache.GetValue(compilation, c => new Relevance(c, types));

    /// <summary>Whether the node's text names a Folios type, entry point, or a method of this compilation that wraps one.</summary>
    public bool Mentions(SyntaxNode node) => _answers.GetOrAdd(node, n => Scan(n, _names));

    /// <summary>
    /// Where FOLIO008 looks for offsets: the text holds a literal it could report (see
    /// <see cref="PageGeometry.MayHoldGeometry"/>), and the member names Folios, or names an ExtentBuffer helper that
    /// takes an offset (ReadByte, Clear, ...) inside a type that names Folios (a buffer held in a field). The same
    /// helper names on a MemoryStream or BinaryPrimitives in a type that never names Folios are not offsets.
    /// </summary>
    public bool MentionsOffsets(SyntaxNode node) =>
        PageGeometry.MayHoldGeometry(TextOf(node.SyntaxTree), node.SpanStart, node.Span.End)
        && (Mentions(node) || _offsetAnswers.GetOrAdd(node, n => Scan(n, _offsetHelpers) && n.FirstAncestorOrSelf<TypeDeclarationSyntax>() is { } type && Mentions(type)));

    private string TextOf(SyntaxTree tree) => _texts.GetValue(tree, t => t.GetText().ToString());

    /// <summary>
    /// A scan of the node's source text for identifier-like words, without walking its tokens: a token walk creates
    /// the tree's red nodes, which for a member that names nothing of Folios is most of the cost of skipping it.
    /// Words in comments and strings count too, which only makes the answer more often yes.
    /// </summary>
    private bool Scan(SyntaxNode node, HashSet<string> names)
    {
        string text = TextOf(node.SyntaxTree);
        var byLength = names == _names ? _namesByLength : _offsetHelpersByLength;
        int end = Math.Min(node.Span.End, text.Length);
        for (int i = node.SpanStart; i < end;)
        {
            char c = text[i];
            if (!char.IsLetterOrDigit(c) && c != '_')
            {
                i++;
                continue;
            }
            int start = i;
            while (i < end && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                i++;
            if (char.IsLetter(c) || c == '_')
            {
                if (byLength.TryGetValue(i - start, out var candidates))
                {
                    foreach (string name in candidates)
                    {
                        if (string.CompareOrdinal(text, start, name, 0, name.Length) == 0)
                            return true;
                    }
                }
            }
        }
        return false;
    }

    private static Dictionary<int, string[]> ByLength(HashSet<string> names) =>
        names.GroupBy(name => name.Length).ToDictionary(group => group.Key, group => group.ToArray());

    private static bool IsEntryPoint(ISymbol member, FoliosTypes types) => member switch
    {
        IMethodSymbol method => HasContract(method, types) || method.Parameters.Any(p => HasContract(p, types) || SymbolEqualityComparer.Default.Equals(p.Type, types.AllocFlags)),
        IPropertySymbol property => HasContract(property, types),
        _ => false,
    };

    private static bool HasContract(ISymbol symbol, FoliosTypes types) =>
        FoliosTypes.HasAttribute(symbol, types.MapsPagesAttribute) || FoliosTypes.HasAttribute(symbol, types.UnmapsPagesAttribute)
        || FoliosTypes.HasAttribute(symbol, types.RawPageAccessAttribute) || FoliosTypes.HasAttribute(symbol, types.PageOrderAttribute)
        || FoliosTypes.HasAttribute(symbol, types.AllocationSizeAttribute);
}
