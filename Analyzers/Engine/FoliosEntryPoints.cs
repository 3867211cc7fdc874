using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Folios.Analyzers.Engine;

/// <summary>
/// The words that make code worth a Folios rule's look, read once per compilation: the runtime's type names and entry
/// points (public members that carry a contract attribute, take one in a parameter, or take AllocFlags), the offset
/// helpers of ExtentBuffer, and the wrappers of the API, whether the compilation declares them or a referenced
/// assembly built against Folios.Runtime does (a call to such a wrapper through <c>var</c> names nothing else).
/// </summary>
internal sealed class FoliosEntryPoints
{
    /// <summary>Code that names the Folios API or a wrapper of it: the question of most Folios rules.</summary>
    public static readonly Vocabulary Api = Vocabulary.OfWords("Folios API", static facts => facts.Folios?.EntryPoints.ApiWords);

    /// <summary>The ExtentBuffer helpers that take a buffer offset (ReadByte, Clear, ...).</summary>
    public static readonly Vocabulary OffsetHelpers = Vocabulary.OfWords("offset helpers", static facts => facts.Folios?.EntryPoints.OffsetHelperWords);

    private readonly FoliosTypes _types;

    public FoliosEntryPoints(FoliosTypes types, Compilation compilation)
    {
        _types = types;
        foreach (var type in NamespaceOf(types.Runtime)?.GetTypeMembers() ?? default)
        {
            ApiWords.Add(type.Name);
            if (MayHoldEntryPoints(type))
                ReadMembers(type, offsetsHere: SymbolEqualityComparer.Default.Equals(type, types.ExtentBuffer));
        }
        foreach (var assembly in compilation.SourceModule.ReferencedAssemblySymbols)
        {
            if (!SymbolEqualityComparer.Default.Equals(assembly, types.Runtime) && IsBuiltAgainst(assembly, types.Runtime))
                ReadWrappers(assembly.GlobalNamespace);
        }
        foreach (var tree in compilation.SyntaxTrees)
            FindDeclaredWrappers(tree);
    }

    /// <summary>The runtime's type names, its entry points, and the wrappers of them.</summary>
    public HashSet<string> ApiWords { get; } = new(StringComparer.Ordinal);

    /// <summary>The ExtentBuffer methods that take a buffer offset.</summary>
    public HashSet<string> OffsetHelperWords { get; } = new(StringComparer.Ordinal);

    private static INamespaceSymbol? NamespaceOf(IAssemblySymbol runtime) =>
        runtime.GlobalNamespace.GetNamespaceMembers().FirstOrDefault(space => space.Name == Names.Runtime.Namespace);

    private void ReadMembers(INamedTypeSymbol type, bool offsetsHere)
    {
        foreach (var member in type.GetMembers())
        {
            if (member.DeclaredAccessibility != Accessibility.Public)
                continue;
            // Dispose takes nothing of Folios' contracts, and in the text it is on every disposable.
            if (IsEntryPoint(member) && member.Name != Names.Disposable.Dispose)
                ApiWords.Add(member.Name);
            if (offsetsHere && member is IMethodSymbol helper && helper.Parameters.Any(p => IsOffsetParameter(p.Name)))
                OffsetHelperWords.Add(helper.Name);
        }
    }

    /// <summary>Whether a parameter of an ExtentBuffer helper is named as a buffer offset.</summary>
    public static bool IsOffsetParameter(string name) => Array.IndexOf(Names.ExtentBuffer.OffsetParameters, name) >= 0;

    /// <summary>The public wrappers in a referenced assembly built against the runtime, read from its metadata.</summary>
    private void ReadWrappers(INamespaceSymbol space)
    {
        foreach (var type in space.GetTypeMembers())
            ReadWrappers(type);
        foreach (var inner in space.GetNamespaceMembers())
            ReadWrappers(inner);
    }

    private void ReadWrappers(INamedTypeSymbol type)
    {
        if (type.DeclaredAccessibility != Accessibility.Public)
            return;
        foreach (var member in type.GetMembers())
        {
            if (member.DeclaredAccessibility == Accessibility.Public && IsEntryPoint(member))
                ApiWords.Add(member.Name);
        }
        foreach (var nested in type.GetTypeMembers())
            ReadWrappers(nested);
    }

    private static bool IsBuiltAgainst(IAssemblySymbol assembly, IAssemblySymbol runtime)
    {
        foreach (var module in assembly.Modules)
        {
            foreach (var referenced in module.ReferencedAssemblySymbols)
            {
                if (SymbolEqualityComparer.Default.Equals(referenced, runtime))
                    return true;
            }
        }
        return false;
    }

    /// <summary>
    /// The compilation's own wrappers, found from each marker's place in the text (a contract attribute or AllocFlags in
    /// a method's attribute or parameter list) rather than by asking every member for its attributes, which would bind
    /// the attributes of the whole compilation.
    /// </summary>
    private void FindDeclaredWrappers(SyntaxTree tree)
    {
        string text = tree.GetText().ToString();
        SyntaxNode? root = null;
        foreach (string marker in Names.Contracts.WrapperMarkers)
        {
            for (int at = text.IndexOf(marker, StringComparison.Ordinal); at >= 0; at = text.IndexOf(marker, at + marker.Length, StringComparison.Ordinal))
            {
                var token = (root ??= tree.GetRoot()).FindToken(at);
                // A method whose name is still being typed has an empty identifier, which is no word.
                if (token.IsKind(SyntaxKind.IdentifierToken) && token.SpanStart == at
                    && token.Parent?.FirstAncestorOrSelf<MethodDeclarationSyntax>() is { Identifier.ValueText.Length: > 0 } method
                    && (method.ParameterList.Span.Contains(at) || method.AttributeLists.Any(list => list.Span.Contains(at))))
                    ApiWords.Add(method.Identifier.ValueText);
            }
        }
    }

    /// <summary>Members of flags, attributes, exceptions and event data allocate or map nothing.</summary>
    private static bool MayHoldEntryPoints(INamedTypeSymbol type)
    {
        if (type.TypeKind is TypeKind.Enum or TypeKind.Delegate)
            return false;
        for (var baseType = type.BaseType; baseType is not null; baseType = baseType.BaseType)
        {
            if (baseType is { Name: Names.InertBaseTypes.Attribute or Names.InertBaseTypes.Exception or Names.InertBaseTypes.EventArgs, ContainingNamespace: { Name: Names.SystemNamespace, ContainingNamespace.IsGlobalNamespace: true } })
                return false;
        }
        return true;
    }

    private bool IsEntryPoint(ISymbol member) => member switch
    {
        IMethodSymbol method => HasContract(method) || method.Parameters.Any(p => HasContract(p) || SymbolEqualityComparer.Default.Equals(p.Type, _types.AllocFlags)),
        IPropertySymbol { IsIndexer: false } property => HasContract(property), // an indexer's name never appears in the text
        _ => false,
    };

    private bool HasContract(ISymbol symbol) =>
        FoliosTypes.HasAttribute(symbol, _types.MapsPagesAttribute) || FoliosTypes.HasAttribute(symbol, _types.UnmapsPagesAttribute)
        || FoliosTypes.HasAttribute(symbol, _types.RawPageAccessAttribute) || FoliosTypes.HasAttribute(symbol, _types.PageOrderAttribute)
        || FoliosTypes.HasAttribute(symbol, _types.AllocationSizeAttribute);
}
