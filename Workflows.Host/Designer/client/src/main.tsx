import { createRoot } from "react-dom/client";
createRoot(document.getElementById("designer-root")!).render(<main><h1>Designer</h1></main>);
import "./styles.css";
