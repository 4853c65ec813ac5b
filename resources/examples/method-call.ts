// A method call with arguments (TypeScript)
// Instead of only running the script, call one of its functions: click "Call function" in the
// toolbar, pick `invoice`, and give JSON arguments such as
//   [{ "name": "Ada", "items": [{ "price": 12.5, "qty": 2 }, { "price": 3, "qty": 5 }] }, 0.2]
// The script runs first (defining the functions), then the function is called with those
// arguments and its return value shows in the Result panel. Types are stripped by the engine.

interface Item {
  price: number;
  qty: number;
}

interface Order {
  name: string;
  items: Item[];
}

function subtotal(items: Item[]): number {
  return items.reduce((sum, item) => sum + item.price * item.qty, 0);
}

function invoice(order: Order, taxRate: number = 0.2) {
  const net = subtotal(order.items);
  const tax = Math.round(net * taxRate * 100) / 100;
  console.log(`invoice for ${order.name}: ${order.items.length} line(s)`);
  return { customer: order.name, net, tax, total: net + tax, issued: new Date(0) };
}

const greet = (name: string): string => `Hello, ${name}!`;
