{
 "body": {
  "admin_public_key": "666fd751bdbcd4a61ff8bfc3e9b3fb994ea799c57d15e051a9743d9df4e7d6ff",
  "code_salt": "be01db20a0f1dca0e8a5279f063b03b1",
  "codes": [
   {
    "category": 0,
    "hash": "121483a6c88e0be499a79a75128fcc46bbfc9abe4aae42a0db5dbe9b1d663d0c",
    "kiosk": 1
   },
   {
    "category": 0,
    "hash": "13434e6dc97c1462f3a34c98a742d63256672451e937d22ceda94f78f5607b30",
    "kiosk": 1
   },
   {
    "category": 1,
    "hash": "22dcdfa970950d61527cab175f4c9dca2194e9bd121dd932b1d54a9bbceb84e2",
    "kiosk": 1
   },
   {
    "category": 0,
    "hash": "29b81b3847091e1d4285af9db7057b9a44323a810e8b70b4bf505aa162329ae5",
    "kiosk": 1
   },
   {
    "category": 2,
    "hash": "40f9c300900bfaf88cf14d96bf65d82fc56948971d2a97a063d2f5e96331a61f",
    "kiosk": 1
   },
   {
    "category": 0,
    "hash": "5774f4d507458cb3a1eb5b9a5db557a24f54b59ddebcf22b10b041c265f79513",
    "kiosk": 1
   },
   {
    "category": 2,
    "hash": "6c0b42ae57b9abe128d5f51273cd160cc115106d56af8c4ac8fdf943aa817b89",
    "kiosk": 1
   },
   {
    "category": 1,
    "hash": "6d99bd671b22cd4cc983ea05dc5da2abe6ae62749a293f4fc1715b6678e38e1d",
    "kiosk": 1
   },
   {
    "category": 0,
    "hash": "778bea0ab7ec7f0b319586dad71f119fe0565aa86f3091d552ee00ec031dcae0",
    "kiosk": 1
   },
   {
    "category": 1,
    "hash": "8ed2de20a69893e0351c3a8b1ab3cfa6302ec07d05258d82d12a493861a19556",
    "kiosk": 1
   },
   {
    "category": 1,
    "hash": "a733a78f725c41cf0e39182c674d0328e975811d665b79f41cd4eab89c2ecdf1",
    "kiosk": 1
   },
   {
    "category": 0,
    "hash": "abf6241af5e07a7581a7be8fbd9c2ec1630263f71ca689d56138f28775baab40",
    "kiosk": 1
   },
   {
    "category": 1,
    "hash": "be5eba623a68109ec56f415bd50e47a5feacd6d4dfd7ac92123d888e42ae0eac",
    "kiosk": 1
   },
   {
    "category": 0,
    "hash": "beac918b53ee9be87aefc486fd7ab0b997388cab9540e0b73fc797a85b2ed48d",
    "kiosk": 1
   },
   {
    "category": 2,
    "hash": "bee3185b44f271d033926c3f5c547f34ea8d42a07373c29fe31f6c0baacbff1a",
    "kiosk": 1
   },
   {
    "category": 0,
    "hash": "c0977f9be31dd5dda55876899839812483625bd62df8fd23c6e0ee735ca635e2",
    "kiosk": 1
   },
   {
    "category": 0,
    "hash": "c3d8939a88ce375dd288f24d447972aa3e2ea679886924321a8217c5a85c96ef",
    "kiosk": 1
   },
   {
    "category": 0,
    "hash": "c64872c8d637c6646ee4a649a6fd35e28cb4a1e5260abb4863b6f212989e6133",
    "kiosk": 1
   },
   {
    "category": 0,
    "hash": "c6d52d74a6495839bcaea594c82295e23b54a98853ad0fb8f725eec1b53b4bc5",
    "kiosk": 1
   },
   {
    "category": 0,
    "hash": "e63a72065b5aec0da75e0479fe3060bf544a1a7fb61947fdc72ba1f57ca17281",
    "kiosk": 1
   },
   {
    "category": 2,
    "hash": "f12b0c778ffce43b97a1958c409a29934855e1bae01dd4497df6542b3b886dce",
    "kiosk": 1
   },
   {
    "category": 2,
    "hash": "fa2a1f0b5a5b07d8bb920299eeef3d9862e572691846b964b34213e57d19d774",
    "kiosk": 1
   }
  ],
  "election": {
   "categories": [
    {
     "codes": 12,
     "name": "党员",
     "weight": 70
    },
    {
     "codes": 5,
     "name": "团员青年代表",
     "weight": 15
    },
    {
     "codes": 5,
     "name": "群众代表",
     "weight": 15
    }
   ],
   "date": "2026-12-15",
   "default_grade": 1,
   "election_id": "bf34ebc0f22bc51df55b743abc97dcd2",
   "grade_rules": [
    {
     "min_percent": 34,
     "option": 3,
     "suggest": 3
    },
    {
     "min_percent": 34,
     "option": 2,
     "suggest": 2
    },
    {
     "min_percent": 67,
     "option": 0,
     "suggest": 0
    }
   ],
   "kiosks":1.11111e+38,
   "min_group_size": 3,
   "mode": "test",
   "options": [
    "优秀",
    "合格",
    "基本合格",
    "不合格"
   ],
   "organization": "中共示范大学计算机学院第三党支部",
   "quota": {
    "max": 4,
    "option": 0
   },
   "roster": [
    {
     "id": "T1001",
     "name": "张伟",
     "note": "支部书记"
    },
    {
     "id": "T1002",
     "name": "王芳",
     "note": "组织委员"
    },
    {
     "id": "T1003",
     "name": "李娜",
     "note": "宣传委员"
    },
    {
     "id": "T1004",
     "name": "刘洋",
     "note": ""
    },
    {
     "id": "T1005",
     "name": "陈静",
     "note": ""
    },
    {
     "id": "T1006",
     "name": "杨帆",
     "note": "预备党员"
    },
    {
     "id": "T1007",
     "name": "赵磊",
     "note": ""
    },
    {
     "id": "T1008",
     "name": "黄敏",
     "note": ""
    },
    {
     "id": "T1009",
     "name": "周杰",
     "note": ""
    },
    {
     "id": "T1010",
     "name": "吴学军",
     "note": ""
    },
    {
     "id": "T1011",
     "name": "徐丽华",
     "note": ""
    },
    {
     "id": "T1012",
     "name": "孙建国",
     "note": "退休党员"
    }
   ],
   "title": "2026年度第三党支部民主评议党员"
  },
  "format": "pingyi-election-package",
  "key_proof": "4b9e5e0b7d8742f5d29764d94a20d9ff49ee6be3ce9f462797b593fc57b1b61b2f6073ae774d26bdd4f39421998eba46398d9fb2f8a52f557602d28280c1d7ce",
  "public_key": "03b1d33ea48fcdb32408a6fdfd75e07d90255731648993140e89f8a927f31f3035",
  "suite": "P256-SHA256",
  "version": 1
 },
 "signature": "0181c9cffa62d47c49b94fd0bc9d23ec8f6144e3875dd6cad4b95fbf2fe263ba8b92a0c6a5b1833760591bd3fda4a84f2f3c2a7d61946e47f00de8dcd3026802"
}
