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
        foreach (var tree in compilation.SyntaxTrees)
        {
            string text = tree.GetText().ToString();
            if (!ContractMarkers.Any(marker => text.Contains(marker)))
                continue;
            foreach (var method in tree.GetRoot().DescendantNodes().OfType<BaseMethodDeclarationSyntax>())
            {
                if (method is MethodDeclarationSyntax named && (method.AttributeLists.Any(MentionsContract) || method.ParameterList.Parameters.Any(p => MentionsContract(p))))
                    _names.Add(named.Identifier.ValueText);
            }
        }
    }

    public static Relevance Of(Compilation compilation, FoliosTypes types) => Cache.GetValue(compilation, c => new Relevance(c, types));

    /// <summary>Whether the node's text names a Folios type, entry point, or a method of this compilation that wraps one.</summary>
    public bool Mentions(SyntaxNode node) => _answers.GetOrAdd(node, n => Scan(n, _names));

    /// <summary>As <see cref="Mentions(SyntaxNode)"/>, or names an ExtentBuffer helper that takes a buffer offset
    /// (ReadByte, Clear, ...): where FOLIO008 looks for offsets.</summary>
    public bool MentionsOffsets(SyntaxNode node) => Mentions(node) || _offsetAnswers.GetOrAdd(node, n => Scan(n, _offsetHelpers));

    /// <summary>Whether any of the blocks of an operation block start names Folios.</summary>
    public bool Mentions(IEnumerable<IOperation> blocks) => blocks.Any(block => Mentions(block.Syntax));

    private static bool Scan(SyntaxNode node, HashSet<string> names)
    {
        foreach (var token in node.DescendantTokens())
        {
            if (token.IsKind(SyntaxKind.IdentifierToken) && names.Contains(token.ValueText))
                return true;
        }
        return false;
    }

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

    private static bool MentionsContract(SyntaxNode node) =>
        node.DescendantTokens().Any(t => t.IsKind(SyntaxKind.IdentifierToken) && ContractMarkers.Any(marker => t.ValueText.StartsWith(marker, StringComparison.Ordinal)));
}
