export function App() {
  return (
    <main>
      <h1>Roundtable</h1>
      <p>Video meetings on your local network.</p>
    </main>
  );
}
